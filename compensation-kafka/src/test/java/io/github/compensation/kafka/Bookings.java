package io.github.compensation.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.messaging.Destination;
import io.github.compensation.messaging.Message;
import io.github.compensation.messaging.MessageDispatcher;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/** A service that stores trips and announces them on Kafka after commit. */
public class Bookings {

    private final JdbcTemplate jdbc;
    private final MessageDispatcher messages;

    public Bookings(JdbcTemplate jdbc, MessageDispatcher messages) {
        this.jdbc = jdbc;
        this.messages = messages;
    }

    /**
     * Stores the trips and queues one message each; before returning, asks {@code nothingSentYet} whether the topic is
     * still without them, and throws when {@code fail}.
     */
    @DispatchAfterCommit
    @Transactional
    public void book(Destination destination, List<String> tripIds, boolean fail, BooleanSupplier nothingSentYet) {
        for (String tripId : tripIds) {
            jdbc.update("insert into trips(id) values (?)", tripId);
            messages.send(Message.of(destination, tripId, new TripBooked(tripId)));
        }
        assertThat(nothingSentYet.getAsBoolean()).as("topic without the messages before commit").isTrue();
        if (fail) {
            throw new IllegalStateException("payment declined");
        }
    }

    public boolean stored(String tripId) {
        return jdbc.queryForObject("select count(*) from trips where id = ?", Integer.class, tripId) == 1;
    }
}
