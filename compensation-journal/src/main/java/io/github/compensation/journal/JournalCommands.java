package io.github.compensation.journal;

import io.github.compensation.Command;
import io.github.compensation.support.Compensations;
import io.github.compensation.DispatchCommands;
import io.github.compensation.RollbackCommands;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The durable holders: they push onto the current scope exactly as the core holders do (same rules, same errors:
 * E1, E2), then journal the command before returning (J1, J2, J3).
 */
public final class JournalCommands {

    private JournalCommands() {
    }

    /**
     * Durable rollback commands backed by the journal.
     *
     * @param journal the journal
     * @return stateless holder acting on the calling thread's scope
     */
    public static DurableRollbackCommands rollback(Journal journal) {
        return new Rollback(journal);
    }

    /**
     * Durable dispatch commands backed by the journal.
     *
     * @param journal the journal
     * @return stateless holder acting on the calling thread's scope
     */
    public static DurableDispatchCommands dispatch(Journal journal) {
        return new Dispatch(journal);
    }

    private static final class Rollback implements DurableRollbackCommands {

        private final Journal journal;
        private final RollbackCommands core = Compensations.rollbackCommands();

        Rollback(Journal journal) {
            this.journal = journal;
        }

        @Override
        public <T> T append(Class<T> type) {
            Objects.requireNonNull(type, "type must not be null");
            return CallRecorder.record(type, null, journal.resolver(), this::push);
        }

        @Override
        public <T> T appendToBottom(Class<T> type) {
            Objects.requireNonNull(type, "type must not be null");
            return CallRecorder.record(type, null, journal.resolver(), (call, live) -> {
                var command = journal.registration().new DurableCompensation(live, true);
                String description = call.describe();
                core.appendToBottom(description, command);
                journal.registration().journalCompensation(description, call, command, true);
            });
        }

        @Override
        public <T> T append(String beanName, Class<T> type) {
            Objects.requireNonNull(beanName, "beanName must not be null");
            Objects.requireNonNull(type, "type must not be null");
            return CallRecorder.record(type, beanName, journal.resolver(), this::push);
        }

        @Override
        public void appendHandler(String handler, Object payload) {
            recordHandlerCall(journal, handler, payload, this::push);
        }

        private void push(RecordedCall call, Command live) {
            var command = journal.registration().new DurableCompensation(live,
                    true);
            String description = call.describe();
            core.append(description, command);
            journal.registration().journalCompensation(description, call, command);
        }

        @Override
        public void append(String description, Command command) {
            var durable = journal.registration().new DurableCompensation(command, false);
            core.append(description, durable);
            journal.registration().journalCompensation(description, null, durable);
        }

        @Override
        public void appendToBottom(String description, Command command) {
            var durable = journal.registration().new DurableCompensation(command, false);
            core.appendToBottom(description, durable);
            journal.registration().journalCompensation(description, null, durable, true);
        }

        @Override
        public void appendCleanup(String description, Command command) {
            core.appendCleanup(description, command);
        }

        @Override
        public void discardAll() {
            core.discardAll();
        }

        @Override
        public String toString() {
            return "DurableRollbackCommands[current thread's scope]";
        }
    }

    /**
     * Records a call of a named handler with its payload, written as JSON and read back at once so that a payload
     * that cannot make the round trip fails here, in the caller (J6), then hands the call and its live form on.
     */
    private static void recordHandlerCall(Journal journal, String handler, Object payload,
            BiConsumer<RecordedCall, Command> sink) {
        Objects.requireNonNull(handler, "handler must not be null");
        CommandHandlerRegistry.Registration registration = journal.resolver().handler(handler);
        String json = journal.resolver().codec().writePayload(registration.payloadType(), payload,
                "the payload of handler '" + handler + "'");
        Object readBack = journal.resolver().codec().readPayload(registration.payloadType(), json, handler);
        sink.accept(new RecordedCall(RecordedCall.HANDLER, null, handler, registration.payloadType().getTypeName(),
                json), () -> registration.handler().handle(readBack));
    }

    private static final class Dispatch implements DurableDispatchCommands {

        private final Journal journal;
        private final DispatchCommands core = Compensations.dispatchCommands();

        Dispatch(Journal journal) {
            this.journal = journal;
        }

        @Override
        public <T> T append(Class<T> type) {
            Objects.requireNonNull(type, "type must not be null");
            return CallRecorder.record(type, null, journal.resolver(), this::queue);
        }

        @Override
        public <T> T append(String beanName, Class<T> type) {
            Objects.requireNonNull(beanName, "beanName must not be null");
            Objects.requireNonNull(type, "type must not be null");
            return CallRecorder.record(type, beanName, journal.resolver(), this::queue);
        }

        @Override
        public void appendHandler(String handler, Object payload) {
            recordHandlerCall(journal, handler, payload, this::queue);
        }

        private void queue(RecordedCall call, Command live) {
            String description = call.describe();
            var command = journal.delivery().new DurableDispatch(description, call, live);
            core.append(description, command);
            journal.registration().journalDispatch(command);
        }

        @Override
        public void append(String description, Command command) {
            core.append(description, command);
        }

        @Override
        public String toString() {
            return "DurableDispatchCommands[current thread's scope]";
        }
    }
}
