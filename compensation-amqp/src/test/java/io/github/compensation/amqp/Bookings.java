package io.github.compensation.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.messaging.Destination;
import io.github.compensation.messaging.Message;
import io.github.compensation.messaging.MessageDispatcher;
import java.util.List;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * A service that stores trips and announces them on RabbitMQ after commit; it checks, inside its transaction, that
 * nothing has reached the queue yet.
 */
public class Bookings {

    private final JdbcTemplate jdbc;
    private final MessageDispatcher messages;
    private final RabbitTemplate rabbit;

    public Bookings(JdbcTemplate jdbc, MessageDispatcher messages, RabbitTemplate rabbit) {
        this.jdbc = jdbc;
        this.messages = messages;
        this.rabbit = rabbit;
    }

    @DispatchAfterCommit
    @Transactional
    public void book(Destination destination, List<String> tripIds, boolean fail) {
        for (String tripId : tripIds) {
            jdbc.update("insert into trips(id) values (?)", tripId);
            messages.send(Message.of(destination, tripId, new TripBooked(tripId)));
        }
        assertThat(rabbit.receive(RabbitMessagingTest.QUEUE)).as("message in the queue before commit").isNull();
        if (fail) {
            throw new IllegalStateException("payment declined");
        }
    }

    /** Like {@code book}, without looking into the queue (for a broker that cannot be reached). */
    @DispatchAfterCommit
    @Transactional
    public void bookWithoutLooking(Destination destination, String tripId) {
        jdbc.update("insert into trips(id) values (?)", tripId);
        messages.send(Message.of(destination, tripId, new TripBooked(tripId)));
    }

    public boolean stored(String tripId) {
        return jdbc.queryForObject("select count(*) from trips where id = ?", Integer.class, tripId) == 1;
    }
}
