package io.github.compensation.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.support.CompensationTemplate;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** J1 and J6 on H2: what can be journaled, what fails in the caller, and what is parked instead of retried. */
class BadInputTest {

    /** Has no properties: Jackson refuses to write it. */
    public static class Opaque {
    }

    public record CancelFlight(String flight, int seats) {
    }

    /** Declared as a parameter type: an interface Jackson cannot construct. */
    public interface Token {
    }

    public record SimpleToken(String value) implements Token {
    }

    /** Writes a property it cannot read back: the amount would be lost silently. */
    public static class Receipt {
        private final String value;

        public Receipt() {
            this.value = "0";
        }

        private Receipt(String value, boolean internal) {
            this.value = value;
        }

        public static Receipt of(String value) {
            return new Receipt(value, true);
        }

        public String getAmount() {
            return value;
        }
    }

    /** A bean with methods whose arguments cannot be journaled, and a named handler. */
    public static class Gateway {
        final List<Object> handled = new CopyOnWriteArrayList<>();

        public void refund(Opaque receipt) {
            handled.add(receipt);
        }

        public void note(Token token) {
            handled.add(token);
        }

        public void settle(Receipt receipt) {
            handled.add(receipt);
        }

        @CommandHandler("cancel-flight")
        public void cancelFlight(CancelFlight command) {
            handled.add(command);
        }
    }

    static final com.zaxxer.hikari.HikariDataSource DATA_SOURCE = TestDatabases.h2();

    @org.junit.jupiter.api.AfterAll
    static void closeDatabase() {
        DATA_SOURCE.close();
    }

    JournalFixture fixture;
    Remote remote;
    Gateway gateway;
    Journal journal;
    CompensationTemplate template;
    DurableRollbackCommands rollback;
    DurableDispatchCommands dispatch;

    @BeforeEach
    void setUp() {
        fixture = new JournalFixture(DATA_SOURCE);
        remote = new Remote();
        gateway = new Gateway();
        fixture.bean("remote", remote);
        fixture.bean("gateway", gateway);
        fixture.handlers.postProcessAfterInitialization(gateway, "gateway");
        journal = fixture.journal("instance-a");
        template = fixture.template(journal);
        rollback = JournalCommands.rollback(journal);
        dispatch = JournalCommands.dispatch(journal);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void unwritableArgumentFailsAtRegistrationInTheCallerAndNothingOfItIsJournaled_J6() {
        assertThatThrownBy(() -> template.execute("Refunds.refund", () -> fixture.tx.execute(status -> {
            remote.reserve("r1");
            rollback.append(Remote.class).cancel("r1");
            rollback.append(Gateway.class).refund(new Opaque());
            return null;
        })))
                .isInstanceOf(UnwritableCommandException.class)
                .hasMessageContaining("Cannot journal argument 0 of Gateway.refund")
                .hasMessageContaining("declared type " + Opaque.class.getName())
                .hasMessageContaining("lambda");
        assertThat(remote.count("cancel", "r1")).as("the registered compensation still ran").isEqualTo(1);
        assertThat(fixture.count("command", "")).as("only the compensation that was written").isEqualTo(1);
        assertThat(fixture.count("command", "status = 'DONE'")).isEqualTo(1);
    }

    @Test
    void argumentThatCannotBeReadBackAsItsDeclaredTypeFailsAtRegistration_J6() {
        assertThatThrownBy(() -> template.execute("Notes.note", () -> {
            dispatch.append(Gateway.class).note(new SimpleToken("hello"));
            return null;
        }))
                .isInstanceOf(UnwritableCommandException.class)
                .hasMessageContaining("Cannot journal argument 0 of Gateway.note")
                .hasMessageContaining(Token.class.getName());
        assertThatThrownBy(() -> template.execute("Receipts.settle", () -> {
            rollback.append(Gateway.class).settle(Receipt.of("12.50"));
            return null;
        }))
                .isInstanceOf(UnwritableCommandException.class)
                .hasMessageContaining("Cannot journal argument 0 of Gateway.settle")
                .hasMessageContaining("does not read back the same")
                .hasMessageContaining("12.50");
        assertThat(fixture.count("command", "")).isZero();
    }

    @Test
    void unknownHandlerOrMissingBeanFailsAtRegistration_J6() {
        assertThatThrownBy(() -> template.execute("X.y", () -> {
            rollback.appendHandler("no-such-handler", "payload");
            return null;
        })).isInstanceOf(UnwritableCommandException.class).hasMessageContaining("No command handler named"
                + " 'no-such-handler'");
        assertThatThrownBy(() -> template.execute("X.y", () -> {
            rollback.append(Runnable.class).run();
            return null;
        })).isInstanceOf(UnwritableCommandException.class).hasMessageContaining(Runnable.class.getName());
        assertThat(fixture.count("command", "")).isZero();
    }

    @Test
    void dispatchWhoseHandlerOrClassIsGoneOrWhoseRowIsCorruptIsParkedDeadWithTheReasonAndNotRetried_J6() {
        insertDispatch("gone-class", "com.example.RemovedInRedeploy", "publish", "java.lang.String", "[\"x\"]");
        insertDispatch("gone-method", Remote.class.getName(), "publishV1", "java.lang.String", "[\"x\"]");
        insertDispatch("gone-handler", RecordedCall.HANDLER, "trip-booked-v1", "java.lang.String", "[\"x\"]");
        insertDispatch("corrupt", Remote.class.getName(), "publish", "java.lang.String", "{not json");

        assertThat(journal.dispatchDue()).isEqualTo(4);
        assertThat(journal.dispatchDue()).as("parked, not retried").isZero();

        assertThat(reason("gone-class")).contains("unreadable").contains("com.example.RemovedInRedeploy")
                .contains("does not exist any more");
        assertThat(reason("gone-method")).contains("publishV1").contains("does not exist any more");
        assertThat(reason("gone-handler")).contains("No command handler named 'trip-booked-v1'");
        assertThat(reason("corrupt")).contains("Corrupt payload");
        assertThat(fixture.count("command", "status = 'DEAD' and attempts = 1")).isEqualTo(4);
        assertThat(remote.calls).isEmpty();
    }

    @Test
    void commandsWhoseAttemptsKeepDyingWithTheirInstanceRunOutOfAttemptsInsteadOfLoopingForever_J6_J4() {
        insertDispatch("poison", Remote.class.getName(), "publish", "java.lang.String", "[\"p\"]");
        fixture.jdbc.update("update " + fixture.prefix + "command set status = 'RUNNING', attempts = 3,"
                + " owner = 'died-three-times', lease_until = ?", Timestamp.from(Instant.now().minusSeconds(5)));
        assertThatThrownBy(() -> JournalFixture.crashingTemplate().execute("Trips.book",
                () -> fixture.tx.execute(status -> {
                    rollback.append(Remote.class).cancel("poison");
                    throw new IllegalStateException("declined");
                }))).hasMessage("declined");
        fixture.jdbc.update("update " + fixture.prefix + "command set status = 'RUNNING', attempts = 3"
                + " where kind = 'COMPENSATION'");

        Journal other = fixture.journal("instance-b", java.time.Clock.offset(java.time.Clock.systemUTC(),
                java.time.Duration.ofHours(1)), settings -> settings.withMaxAttempts(3, 3));
        assertThat(other.dispatchDue()).isEqualTo(1);
        assertThat(other.recoverDue()).isEqualTo(1);

        assertThat(remote.calls).as("neither ran a fourth time").isEmpty();
        assertThat(reason("poison")).isEqualTo("dead after 3 attempt(s), the last one never finished (did the"
                + " instance running it die?)");
        assertThat(fixture.jdbc.queryForObject("select status || ': ' || last_error from " + fixture.prefix
                + "command where kind = 'COMPENSATION'", String.class)).startsWith("FAILED: failed after 3 attempt(s)");
        assertThat(fixture.count("unit", "state = 'FAILED'")).isEqualTo(1);
    }

    @Test
    void compensationThatCannotBeReadBackIsParkedAndItsScopeFlaggedForAPerson_J6() {
        assertThatThrownBy(() -> JournalFixture.crashingTemplate().execute("Trips.book",
                () -> fixture.tx.execute(status -> {
                    rollback.append(Remote.class).cancel("c1");
                    rollback.append(Remote.class).cancel("c2");
                    throw new IllegalStateException("declined");
                }))).hasMessage("declined");
        fixture.jdbc.update("update " + fixture.prefix + "command set payload = '[1, 2, 3]'"
                + " where description = 'Remote.cancel' and seq = 2");

        Journal other = fixture.recoverer("instance-b");
        assertThat(other.recoverDue()).isEqualTo(1);
        assertThat(other.recoverDue()).as("not retried in a loop").isZero();

        assertThat(remote.count("cancel", "c1")).as("the readable one still ran").isEqualTo(1);
        assertThat(fixture.jdbc.queryForObject("select last_error from " + fixture.prefix + "command where seq = 2",
                String.class)).contains("Corrupt payload").contains("expected a JSON array of 1 argument");
        assertThat(fixture.count("unit", "state = 'FAILED'")).isEqualTo(1);
    }

    @Test
    void lambdaCompensationIsJournaledAsNotRecoverableAndParkedAfterACrash_J1() {
        assertThatThrownBy(() -> JournalFixture.crashingTemplate().execute("Trips.book",
                () -> fixture.tx.execute(status -> {
                    rollback.append("cancel by lambda", () -> remote.cancel("l1"));
                    rollback.appendToBottom("release by lambda", () -> remote.cancel("l1-bottom"));
                    throw new IllegalStateException("declined");
                }))).hasMessage("declined");

        fixture.recoverer("instance-b").recoverDue();

        assertThat(remote.calls).isEmpty();
        assertThat(fixture.jdbc.queryForList("select status || ': ' || last_error from " + fixture.prefix
                + "command order by seq desc", String.class)).containsExactly(
                "PARKED: registered as a lambda: not recoverable after a crash; undo 'cancel by lambda' by hand",
                "PARKED: registered as a lambda: not recoverable after a crash; undo 'release by lambda' by hand");
        assertThat(fixture.count("unit", "state = 'FAILED'")).isEqualTo(1);
    }

    @Test
    void lambdaCompensationStillRunsInMemoryWithTheJournalOn_J1() {
        assertThatThrownBy(() -> template.execute("Trips.book", () -> fixture.tx.execute(status -> {
            rollback.append("cancel by lambda", () -> remote.cancel("l2"));
            throw new IllegalStateException("declined");
        }))).hasMessage("declined");
        assertThat(remote.count("cancel", "l2")).isEqualTo(1);
        assertThat(fixture.count("command", "status = 'SETTLED'")).isEqualTo(1);
    }

    @Test
    void namedHandlerPayloadIsWrittenWithItsDeclaredTypeAndReadBackAfterACrash_J1() {
        assertThatThrownBy(() -> JournalFixture.crashingTemplate().execute("Trips.book",
                () -> fixture.tx.execute(status -> {
                    rollback.appendHandler("cancel-flight", new CancelFlight("LH400", 2));
                    throw new IllegalStateException("declined");
                }))).hasMessage("declined");
        assertThat(fixture.jdbc.queryForObject("select payload from " + fixture.prefix + "command", String.class))
                .isEqualTo("[{\"flight\":\"LH400\",\"seats\":2}]");

        fixture.recoverer("instance-b").recoverDue();

        assertThat(gateway.handled).containsExactly(new CancelFlight("LH400", 2));
    }

    @Test
    void deadDispatchIsVisibleAndCanBeRetriggered_J3() {
        remote.failing = call -> true;
        fixture.tx.executeWithoutResult(status -> template.execute("Events.publish", () -> {
            dispatch.append(Remote.class).publish("d1");
            return null;
        }));
        Journal worker = fixture.journal("instance-b", java.time.Clock.systemUTC(),
                settings -> settings.withMaxAttempts(2, 2));
        worker.dispatchDue();
        List<JournalEntry> dead = worker.store().findByStatus(JournalEntry.Status.DEAD, 10);
        assertThat(dead).singleElement().satisfies(entry -> {
            assertThat(entry.attempts()).isEqualTo(2);
            assertThat(entry.lastError()).startsWith("dead after 2 attempt(s): java.lang.IllegalStateException:"
                    + " remote refused publish d1");
        });
        assertThat(worker.dispatchDue()).isZero();

        remote.failing = call -> false;
        assertThat(worker.retrigger(dead.get(0).id())).isTrue();
        assertThat(worker.dispatchDue()).isEqualTo(1);
        assertThat(remote.count("publish", "d1")).isEqualTo(1);
        assertThat(worker.store().find(dead.get(0).id()).status()).isEqualTo(JournalEntry.Status.DONE);
    }

    private void insertDispatch(String description, String target, String method, String params, String payload) {
        Timestamp now = Timestamp.from(Instant.now());
        fixture.jdbc.update("insert into " + fixture.prefix + "command (id, kind, seq, description, target_type,"
                + " method_name, param_types, payload, status, attempts, next_attempt_at, created_at, updated_at)"
                + " values (?, 'DISPATCH', 0, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)", UUID.randomUUID().toString(),
                description, target, method, params, payload, now, now, now);
    }

    private String reason(String description) {
        return fixture.jdbc.queryForObject("select last_error from " + fixture.prefix + "command where description = ?",
                String.class, description);
    }
}
