package io.github.compensation.sample.trip;

import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Listens for {@link TripBooked} and records a notification. A plain {@code @EventListener}: the event is published
 * by a dispatch command, which runs only after the booking committed (clause D1) and outside the finished
 * transaction, so this insert commits on its own (D4).
 */
@Component
public class TripNotifications {

    private final JdbcClient jdbc;

    TripNotifications(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void on(TripBooked event) {
        record(event);
    }

    /**
     * Records the notification for a booked trip.
     *
     * @param event the booking
     */
    public void record(TripBooked event) {
        jdbc.sql("insert into notifications (trip_id, booking_ref, message) values (?, ?, ?)")
                .params(event.tripId(), event.bookingRef(), "Trip " + event.bookingRef() + " to "
                        + event.destination() + " is booked for " + event.customer())
                .update();
    }

    public List<Notification> findAll() {
        return jdbc.sql("select * from notifications order by id")
                .query((rs, row) -> new Notification(rs.getLong("id"), rs.getLong("trip_id"),
                        rs.getString("booking_ref"), rs.getString("message"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }
}
