package io.github.compensation.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.CommandReport;
import io.github.compensation.CommandStatus;
import io.github.compensation.ScopeReport;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@link AfterCommitMessageDispatcher} does when a message is registered and when its scope settles, with a
 * transport that records what it is given (delivery to real brokers is proved in compensation-kafka and
 * compensation-amqp).
 */
class MessageDispatcherTest {

    private static final Destination TRIPS = Destination.kafka("trips");

    private final List<ScopeReport> reports = new CopyOnWriteArrayList<>();
    private final CompensationTemplate template = CompensationTemplate.builder().listener(reports::add).build();
    private final RecordingTransport transport = new RecordingTransport();
    private final MessageDispatcher messages = dispatcher(Duration.ofSeconds(5));

    private MessageDispatcher dispatcher(Duration timeout) {
        return new AfterCommitMessageDispatcher(Compensations.dispatchCommands(), List.of(transport),
                new MessageEncoder(JsonMapper.builder().build()), timeout);
    }

    record TripBooked(String tripId) {
    }

    record Unwritable(String tripId) {

        @Override
        public String tripId() {
            throw new IllegalStateException("not loaded");
        }
    }

    @Test
    void m1_d1_messageIsSentOnlyWhenTheScopeCommits() {
        template.execute("Trips.book", () -> {
            messages.send(Message.of(TRIPS, "t1", new TripBooked("t1")).withHeader("tenant", "acme"));
            assertThat(transport.sent).as("sent before the scope ended").isEmpty();
            return null;
        });

        assertThat(transport.sent).hasSize(1);
        OutgoingMessage sent = transport.sent.get(0);
        String scopeId = reports.get(0).id();
        assertThat(sent.key()).isEqualTo("t1");
        assertThat(new String(sent.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"tripId\":\"t1\"}");
        assertThat(sent.headers()).containsExactly(Map.entry(MessageHeaders.IDEMPOTENCY_KEY, scopeId + ":1"),
                Map.entry(MessageHeaders.SCOPE_ID, scopeId),
                Map.entry(MessageHeaders.PAYLOAD_TYPE, TripBooked.class.getName()), Map.entry("tenant", "acme"));
        assertThat(reports.get(0).commands()).extracting(CommandReport::status).containsExactly(CommandStatus.DONE);
    }

    @Test
    void m1_d5_messageOfAScopeThatFailsIsNeverSent() {
        assertThatThrownBy(() -> template.execute("Trips.book", () -> {
            messages.send(Message.of(TRIPS, "t1", new TripBooked("t1")));
            throw new IllegalStateException("payment declined");
        })).hasMessage("payment declined");

        assertThat(transport.sent).isEmpty();
        assertThat(reports.get(0).commands()).extracting(CommandReport::status)
                .containsExactly(CommandStatus.DISCARDED);
    }

    @Test
    void m3_idempotencyKeyCountsTheMessagesOfTheSettlingScopeNestedScopesIncluded() {
        template.execute("Trips.book", () -> {
            messages.send(Message.of(TRIPS, "a", new TripBooked("a")));
            template.execute("Trips.inner", () -> messages.send(Message.of(TRIPS, "b", new TripBooked("b"))));
            messages.send(Message.of(TRIPS, new TripBooked("c")).withPayloadType("trip-booked"));
            return null;
        });

        String outer = reports.get(reports.size() - 1).id();
        assertThat(transport.sent).extracting(OutgoingMessage::idempotencyKey)
                .containsExactly(outer + ":1", outer + ":2", outer + ":3");
        assertThat(transport.sent).extracting(message -> message.headers().get(MessageHeaders.SCOPE_ID))
                .containsOnly(outer);
        assertThat(transport.sent.get(2).key()).isNull();
        assertThat(transport.sent.get(2).headers()).containsEntry(MessageHeaders.PAYLOAD_TYPE, "trip-booked");
    }

    @Test
    void d6_withdrawnMessageIsNotSent() {
        template.execute("Trips.book", () -> {
            messages.send(Message.of(TRIPS, "t1", new TripBooked("t1"))).withdraw("trip is provisional");
            return null;
        });

        assertThat(transport.sent).isEmpty();
        assertThat(reports.get(0).commands().get(0).status()).isEqualTo(CommandStatus.DISCARDED);
    }

    @Test
    void m1_d3_brokerThatDoesNotAcknowledgeWithinTheTimeoutFailsTheCommandNotTheCall() {
        transport.acknowledge = false;
        MessageDispatcher impatient = dispatcher(Duration.ofMillis(100));

        String result = template.execute("Trips.book", () -> {
            impatient.send(Message.of(TRIPS, "t1", new TripBooked("t1")));
            return "booked";
        });

        assertThat(result).isEqualTo("booked");
        CommandReport sent = reports.get(0).commands().get(0);
        assertThat(sent.status()).isEqualTo(CommandStatus.FAILED);
        assertThat(sent.error()).isInstanceOf(MessageSendException.class)
                .hasMessage("Recording did not acknowledge message " + reports.get(0).id()
                        + ":1 within PT0.1S (it may still arrive)");
    }

    @Test
    void e1_sendingWithNoScopeOpenFailsNamingTheAnnotation() {
        assertThatThrownBy(() -> messages.send(Message.of(TRIPS, "t1", new TripBooked("t1"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("@DispatchAfterCommit");
    }

    @Test
    void payloadThatCannotBeWrittenFailsInTheCaller() {
        Object unwritable = new Unwritable("t1");
        assertThatThrownBy(() -> template.execute("Trips.book",
                () -> messages.send(Message.of(TRIPS, "t1", unwritable))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be written as JSON");
        assertThat(transport.sent).isEmpty();
    }

    @Test
    void destinationWithoutItsBrokerModuleFailsSayingWhichModuleToAdd() {
        assertThatThrownBy(() -> template.execute("Trips.book",
                () -> messages.send(Message.of(Destination.rabbit("trips", "booked"), "t1", new TripBooked("t1")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("add compensation-amqp");
    }

    @Test
    void headersStartingWithCompensationAreReserved() {
        assertThatThrownBy(() -> Message.of(TRIPS, "t1", new TripBooked("t1"))
                .withHeader(MessageHeaders.IDEMPOTENCY_KEY, "mine"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    }

    /** Accepts Kafka destinations and keeps what it is given; acknowledges at once unless told not to. */
    static final class RecordingTransport implements MessageTransport {

        final List<OutgoingMessage> sent = new CopyOnWriteArrayList<>();
        volatile boolean acknowledge = true;

        @Override
        public String brokerName() {
            return "Recording";
        }

        @Override
        public boolean supports(Destination destination) {
            return destination instanceof Destination.KafkaTopic;
        }

        @Override
        public CompletableFuture<?> send(OutgoingMessage message) {
            if (!acknowledge) {
                return new CompletableFuture<>();
            }
            sent.add(message);
            return CompletableFuture.completedFuture(null);
        }
    }
}
