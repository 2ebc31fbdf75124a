package io.github.compensation.journal;

import io.github.compensation.Command;
import io.github.compensation.CommandHandle;
import io.github.compensation.CommandKind;
import io.github.compensation.RollbackHandle;
import io.github.compensation.spi.CompensationScope;
import io.github.compensation.support.Compensations;
import io.github.compensation.DispatchCommands;
import io.github.compensation.RollbackCommands;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

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
        public <T> RollbackHandle append(Class<T> type, Consumer<? super T> call) {
            Objects.requireNonNull(type, "type must not be null");
            Objects.requireNonNull(call, "call must not be null");
            RollbackHandle[] handle = new RollbackHandle[1];
            call.accept(CallRecorder.record(type, null, journal.resolver(),
                    (recorded, live) -> handle[0] = push(recorded, live)));
            if (handle[0] == null) {
                throw new IllegalStateException("append(" + type.getSimpleName() + ".class, call): the call must"
                        + " call exactly one method on the stand-in it is given");
            }
            return handle[0];
        }

        @Override
        public <T> T append(String beanName, Class<T> type) {
            Objects.requireNonNull(beanName, "beanName must not be null");
            Objects.requireNonNull(type, "type must not be null");
            return CallRecorder.record(type, beanName, journal.resolver(), this::push);
        }

        @Override
        public RollbackHandle appendHandler(String handler, Object payload) {
            RollbackHandle[] handle = new RollbackHandle[1];
            recordHandlerCall(journal, handler, payload, (call, live) -> handle[0] = push(call, live));
            return Objects.requireNonNull(handle[0]);
        }

        private RollbackHandle push(RecordedCall call, Command live) {
            var command = journal.registration().new DurableCompensation(live, true);
            String description = call.describe();
            RollbackHandle handle = core.append(description, command);
            journal.registration().journalCompensation(description, call, command);
            return new DurableRollbackHandle(handle, journal, command);
        }

        @Override
        public RollbackHandle append(String description, Command command) {
            var durable = journal.registration().new DurableCompensation(command, false);
            RollbackHandle handle = core.append(description, durable);
            journal.registration().journalCompensation(description, null, durable);
            return new DurableRollbackHandle(handle, journal, durable);
        }

        @Override
        public RollbackHandle appendToBottom(String description, Command command) {
            var durable = journal.registration().new DurableCompensation(command, false);
            RollbackHandle handle = core.appendToBottom(description, durable);
            journal.registration().journalCompensation(description, null, durable, true);
            return new DurableRollbackHandle(handle, journal, durable);
        }

        @Override
        public RollbackHandle appendCleanup(String description, Command command) {
            return core.appendCleanup(description, command);
        }

        @Override
        public RollbackHandle appendCleanupToBottom(String description, Command command) {
            return core.appendCleanupToBottom(description, command);
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
        if (readBack == null) {
            throw new UnwritableCommandException("The payload of handler '" + handler + "' is written as null:"
                    + " give the handler a payload that is not null", null);
        }
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
        public CommandHandle appendHandler(String handler, Object payload) {
            CommandHandle[] handle = new CommandHandle[1];
            recordHandlerCall(journal, handler, payload, (call, live) -> handle[0] = queue(call, live));
            return Objects.requireNonNull(handle[0]);
        }

        @Override
        public CommandHandle appendHandler(String handler, Object payload, String description,
                @Nullable String orderingKey) {
            Objects.requireNonNull(description, "description must not be null");
            CommandHandle[] handle = new CommandHandle[1];
            recordHandlerCall(journal, handler, payload,
                    (call, live) -> handle[0] = queue(call, live, description, orderingKey));
            return Objects.requireNonNull(handle[0]);
        }

        private CommandHandle queue(RecordedCall call, Command live) {
            return queue(call, live, call.describe(), null);
        }

        private CommandHandle queue(RecordedCall call, Command live, String description,
                @Nullable String orderingKey) {
            OutboxDelivery.DurableDispatch command = journal.delivery().new DurableDispatch(description, call, live,
                    orderingKey);
            CommandHandle handle = core.append(description, command);
            journal.registration().journalDispatch(command);
            return new DurableDispatchHandle(handle, journal, command);
        }

        @Override
        public CommandHandle append(String description, Command command) {
            return core.append(description, command);
        }

        @Override
        public void discardAll() {
            CompensationScope scope = Compensations.receivingScope(CommandKind.DISPATCH);
            List<OutboxDelivery.DurableDispatch> journaled = scope == null ? List.of()
                    : journal.registration().journaledDispatchesOf(scope);
            journal.registration().checkWithdrawable(journaled);
            core.discardAll();
            journal.registration().withdrawDispatches(journaled);
        }

        @Override
        public String toString() {
            return "DurableDispatchCommands[current thread's scope]";
        }
    }

    /**
     * The handle of a durable compensation: withdrawing it also marks its journal row, so that recovery never runs it
     * (R11). Changing its kind changes only the in-memory command: the row stays a compensation.
     */
    private record DurableRollbackHandle(RollbackHandle core, Journal journal,
            WriteAheadRegistration.DurableCompensation command) implements RollbackHandle {

        @Override
        public String description() {
            return core.description();
        }

        @Override
        public CommandKind kind() {
            return core.kind();
        }

        @Override
        public boolean isWithdrawn() {
            return core.isWithdrawn();
        }

        @Override
        public void withdraw() {
            core.withdraw();
            journal.registration().withdrawCompensation(command, "withdrawn by the scope's method");
        }

        @Override
        public void withdraw(String reason) {
            core.withdraw(reason);
            journal.registration().withdrawCompensation(command, "withdrawn: " + reason);
        }

        @Override
        public void runAlways() {
            core.runAlways();
        }

        @Override
        public void keepOnSuccess() {
            core.keepOnSuccess();
        }
    }

    /**
     * The handle of a durable dispatch: withdrawing it also deletes its outbox row in the business transaction that
     * wrote it (D6); from another transaction it is refused before anything changes.
     */
    private record DurableDispatchHandle(CommandHandle core, Journal journal, OutboxDelivery.DurableDispatch command)
            implements CommandHandle {

        @Override
        public String description() {
            return core.description();
        }

        @Override
        public CommandKind kind() {
            return core.kind();
        }

        @Override
        public boolean isWithdrawn() {
            return core.isWithdrawn();
        }

        @Override
        public void withdraw() {
            journal.registration().checkWithdrawable(List.of(command));
            core.withdraw();
            journal.registration().withdrawDispatches(List.of(command));
        }

        @Override
        public void withdraw(String reason) {
            Objects.requireNonNull(reason, "reason must not be null");
            journal.registration().checkWithdrawable(List.of(command));
            core.withdraw(reason);
            journal.registration().withdrawDispatches(List.of(command));
        }
    }
}
