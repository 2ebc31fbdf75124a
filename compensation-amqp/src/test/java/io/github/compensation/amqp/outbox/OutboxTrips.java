package io.github.compensation.amqp.outbox;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.messaging.Destination;
import io.github.compensation.messaging.Message;
import io.github.compensation.messaging.MessageDispatcher;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/** A service that stores trips and announces them through the {@code MessageDispatcher} after commit. */
public class OutboxTrips {

    private final JdbcTemplate jdbc;
    private final MessageDispatcher messages;

    public OutboxTrips(JdbcTemplate jdbc, MessageDispatcher messages) {
        this.jdbc = jdbc;
        this.messages = messages;
    }

    @DispatchAfterCommit
    @Transactional
    public void book(Destination destination, String tripId, boolean fail) {
        jdbc.update("insert into trips(id) values (?)", tripId);
        messages.send(Message.of(destination, tripId, new TripBooked(tripId)).withHeader("tenant", "acme"));
        if (fail) {
            throw new IllegalStateException("payment declined");
        }
    }

    /** Sends each step with its key, all in one transaction. */
    @DispatchAfterCommit
    @Transactional
    public void send(Destination destination, List<Step> steps) {
        for (Step step : steps) {
            messages.send(Message.of(destination, step.key(), step));
        }
    }

    public int stored(String tripId) {
        return jdbc.queryForObject("select count(*) from trips where id = ?", Integer.class, tripId);
    }

    /** The payload of a booking. */
    public record TripBooked(String tripId) {
    }
}
