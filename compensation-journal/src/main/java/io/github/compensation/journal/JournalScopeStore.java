package io.github.compensation.journal;

import io.github.compensation.CommandKind;
import io.github.compensation.CommandReport;
import io.github.compensation.CommandStatus;
import io.github.compensation.Outcome;
import io.github.compensation.ScopeReport;
import io.github.compensation.journal.JournalEntry.Kind;
import io.github.compensation.journal.JournalEntry.Status;
import io.github.compensation.journal.JournalRepository.NoteRow;
import io.github.compensation.journal.JournalRepository.ScopeRow;
import io.github.compensation.journal.JournalUnit.State;
import io.github.compensation.store.RefusedActionException;
import io.github.compensation.store.ScopeAction;
import io.github.compensation.store.ScopeEvent;
import io.github.compensation.store.ScopeQuery;
import io.github.compensation.store.ScopeState;
import io.github.compensation.store.ScopeStore;
import io.github.compensation.store.StoredScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The operations view (clause O1) over the journal's tables: what the {@code compensations} endpoint lists and the
 * attention gauges count when the journal is on, durable and shared by every instance. Two kinds of journaled scope
 * appear, each with its own id:
 *
 * <ul>
 * <li>a <em>unit</em> (the compensations a scope journaled), named after the scope: {@link ScopeState#FAILED} when a
 * compensation failed or was parked, {@link ScopeState#PENDING} when the transaction outcome was unknown (T3),
 * {@link ScopeState#SETTLED} when it committed, was compensated or failed without rollback,
 * {@link ScopeState#RESOLVED} or {@link ScopeState#DISCARDED} after a person acted on it;</li>
 * <li>a <em>dispatch</em> (an outbox row, J3), named after its description: {@link ScopeState#FAILED} when dead,
 * {@link ScopeState#SETTLED} when delivered, {@link ScopeState#RESOLVED} or {@link ScopeState#DISCARDED} after a
 * person acted on it.</li>
 * </ul>
 *
 * Work still running or waiting for the journal's worker (an open unit, a unit being compensated by recovery, a
 * dispatch not yet delivered) is not listed by {@link #find(ScopeQuery)} nor counted; {@link #get(String)} shows it as
 * {@link ScopeState#PENDING}, not {@link StoredScope#retryable() retryable}.
 *
 * <p>{@link #retry(String, String, String)} re-triggers the failed, parked or dead commands ({@link Journal#retrigger(String)}), which
 * the worker then runs, or settles an unknown unit by its marker ({@link Journal#resolveUnknown(String)});
 * {@link #resolve(String, String, String)} and {@link #discard(String, String, String)} run nothing
 * ({@link Journal#markResolved(String, String)}, {@link Journal#markDiscarded(String, String)}), and only on what
 * needs a person. Every action is kept in the journal's note table with who and when, a retry with the attempts and
 * last error of the commands it re-triggered (clause O3); the scope's duration is the one it settled with. Command reports carry the
 * journal's last error or reason as their note; their durations are not journaled and show as zero. A unit's outcome
 * is read from its state: a unit a person resolved or discarded shows as rolled back, also when its outcome had been
 * unknown. Thread-safe.
 */
public class JournalScopeStore implements ScopeStore {

    private final Journal journal;
    private final JournalRepository store;
    private final Clock clock;

    /**
     * Creates the view.
     *
     * @param journal the journal
     * @param clock   the clock the ages of {@link ScopeQuery} are measured with
     */
    public JournalScopeStore(Journal journal, Clock clock) {
        this.journal = journal;
        this.store = journal.store();
        this.clock = clock;
    }

    @Override
    public List<StoredScope> find(ScopeQuery query) {
        List<State> unitStates = new ArrayList<>();
        List<Status> dispatchStatuses = new ArrayList<>();
        for (ScopeState state : query.states()) {
            switch (state) {
                case FAILED -> {
                    unitStates.add(State.FAILED);
                    dispatchStatuses.add(Status.DEAD);
                }
                case PENDING -> unitStates.add(State.UNKNOWN);
                case SETTLED -> {
                    unitStates.addAll(List.of(State.COMMITTED, State.COMPENSATED, State.DISCARDED));
                    dispatchStatuses.add(Status.DONE);
                }
                case RESOLVED -> {
                    unitStates.add(State.RESOLVED);
                    dispatchStatuses.add(Status.RESOLVED);
                }
                case DISCARDED -> {
                    unitStates.add(State.ABANDONED);
                    dispatchStatuses.add(Status.DISCARDED);
                }
                default -> throw new IllegalArgumentException("Unknown state " + state);
            }
        }
        Instant now = clock.instant();
        Duration minAge = query.minAge();
        Duration maxAge = query.maxAge();
        List<ScopeRow> rows = new ArrayList<>(store.findScopeRows(unitStates, dispatchStatuses,
                minAge == null ? null : now.minus(minAge), maxAge == null ? null : now.minus(maxAge), query.limit()));
        rows.sort(Comparator.comparing(ScopeRow::createdAt).reversed());
        List<StoredScope> scopes = new ArrayList<>();
        for (ScopeRow row : rows.subList(0, Math.min(rows.size(), query.limit()))) {
            scopes.add(toScope(row));
        }
        return scopes;
    }

    @Override
    public Optional<StoredScope> get(String id) {
        ScopeRow row = store.findScopeRow(id);
        return row == null ? Optional.empty() : Optional.of(toScope(row));
    }

    @Override
    public Optional<StoredScope> retry(String id, String by, @Nullable String note) {
        ScopeRow row = store.findScopeRow(id);
        if (row == null) {
            return Optional.empty();
        }
        if (!row.dispatch() && State.ofColumn(row.state()) == State.UNKNOWN) {
            try {
                journal.resolveUnknown(id);
            }
            catch (IllegalStateException notUnknown) {
                throw new RefusedActionException("Scope " + id + " is no longer waiting with an unknown outcome");
            }
            record(row, by, ScopeAction.RETRY, note, null);
            return get(id);
        }
        List<JournalEntry> entries = entries(row);
        StringBuilder retried = new StringBuilder();
        for (int i = 0; i < entries.size(); i++) {
            JournalEntry entry = entries.get(i);
            if (!stopped(entry)) {
                continue;
            }
            if (entry.call() == null) {
                throw new RefusedActionException("Scope " + id + " has commands registered as lambdas, which the"
                        + " journal cannot run again; see to them by hand, then resolve the scope");
            }
            String error = entry.lastError() == null ? "" : entry.lastError().replace('\n', ' ');
            retried.append(i).append('|').append(entry.status()).append('|').append(entry.attempts()).append('|')
                    .append(error).append('\n');
        }
        if (retried.isEmpty()) {
            throw new RefusedActionException("Scope " + id + " has nothing to retry: nothing in it failed, is dead or"
                    + " parked (it is " + state(row).name().toLowerCase(Locale.ROOT) + ")");
        }
        for (JournalEntry entry : entries) {
            if (stopped(entry)) {
                journal.retrigger(entry.id());
            }
        }
        record(row, by, ScopeAction.RETRY, note, retried.toString());
        return get(id);
    }

    @Override
    public Optional<StoredScope> resolve(String id, String by, @Nullable String note) {
        return close(id, by, ScopeAction.RESOLVE, note);
    }

    @Override
    public Optional<StoredScope> discard(String id, String by, @Nullable String note) {
        return close(id, by, ScopeAction.DISCARD, note);
    }

    @Override
    public Optional<StoredScope> note(String id, String by, String note) {
        ScopeRow row = store.findScopeRow(id);
        if (row == null) {
            return Optional.empty();
        }
        record(row, by, ScopeAction.NOTE, note, null);
        return get(id);
    }

    private Optional<StoredScope> close(String id, String by, ScopeAction action, @Nullable String note) {
        ScopeRow row = store.findScopeRow(id);
        if (row == null) {
            return Optional.empty();
        }
        boolean closed = action == ScopeAction.RESOLVE ? journal.markResolved(id, note)
                : journal.markDiscarded(id, note);
        if (!closed) {
            ScopeRow now = store.findScopeRow(id);
            throw new RefusedActionException("Scope " + id + " needs nobody: it is "
                    + state(now == null ? row : now).name().toLowerCase(Locale.ROOT) + " (journal state "
                    + (now == null ? row : now).state() + "), so there is nothing to "
                    + action.name().toLowerCase(Locale.ROOT) + "; add a note instead");
        }
        record(row, by, action, note, null);
        return get(id);
    }

    private void record(ScopeRow before, String by, ScopeAction action, @Nullable String note,
            @Nullable String retried) {
        store.addNote(new NoteRow(before.id(), clock.instant(), by, action.name(), note, retried,
                before.updatedAt()));
    }

    private static ScopeState state(ScopeRow row) {
        ScopeState mapped = row.dispatch() ? dispatchState(Status.ofColumn(row.state()))
                : unitState(State.ofColumn(row.state()));
        return mapped == null ? ScopeState.PENDING : mapped;
    }

    @Override
    public Map<ScopeState, Long> counts() {
        Map<ScopeState, Long> counts = new EnumMap<>(ScopeState.class);
        for (ScopeState state : ScopeState.values()) {
            counts.put(state, 0L);
        }
        store.countUnitStates().forEach((state, count) -> {
            ScopeState mapped = unitState(State.ofColumn(state));
            if (mapped != null) {
                counts.merge(mapped, count, Long::sum);
            }
        });
        store.countDispatchStatuses().forEach((status, count) -> {
            ScopeState mapped = dispatchState(Status.ofColumn(status));
            if (mapped != null) {
                counts.merge(mapped, count, Long::sum);
            }
        });
        return counts;
    }

    // ---------------------------------------------------------------- mapping

    private static final Set<Status> STOPPED = EnumSet.of(Status.FAILED, Status.PARKED, Status.DEAD);

    private static boolean stopped(JournalEntry entry) {
        return STOPPED.contains(entry.status());
    }

    /** The scope state of a unit state; {@code null} while the unit is open or being compensated. */
    private static @Nullable ScopeState unitState(State state) {
        return switch (state) {
            case FAILED -> ScopeState.FAILED;
            case UNKNOWN -> ScopeState.PENDING;
            case COMMITTED, COMPENSATED, DISCARDED -> ScopeState.SETTLED;
            case RESOLVED -> ScopeState.RESOLVED;
            case ABANDONED -> ScopeState.DISCARDED;
            case OPEN, ABORTED -> null;
        };
    }

    /** The scope state of a dispatch status; {@code null} while it waits or runs. */
    private static @Nullable ScopeState dispatchState(Status status) {
        return switch (status) {
            case DEAD -> ScopeState.FAILED;
            case DONE -> ScopeState.SETTLED;
            case RESOLVED -> ScopeState.RESOLVED;
            case DISCARDED -> ScopeState.DISCARDED;
            default -> null;
        };
    }

    private List<JournalEntry> entries(ScopeRow row) {
        if (row.dispatch()) {
            JournalEntry entry = store.find(row.id());
            return entry == null ? List.of() : List.of(entry);
        }
        return store.compensationsOf(row.id());
    }

    private StoredScope toScope(ScopeRow row) {
        List<JournalEntry> entries = entries(row);
        ScopeState mapped = row.dispatch() ? dispatchState(Status.ofColumn(row.state()))
                : unitState(State.ofColumn(row.state()));
        ScopeState state = mapped == null ? ScopeState.PENDING : mapped;
        List<CommandReport> commands = new ArrayList<>(entries.size());
        for (JournalEntry entry : entries) {
            commands.add(report(entry));
        }
        Outcome outcome = row.dispatch() ? Outcome.COMMITTED : switch (State.ofColumn(row.state())) {
            case COMMITTED -> Outcome.COMMITTED;
            case UNKNOWN, OPEN -> Outcome.UNKNOWN;
            case DISCARDED -> Outcome.FAILED_NO_ROLLBACK;
            default -> Outcome.ROLLED_BACK;
        };
        List<NoteRow> notes = store.notesOf(row.id());
        Instant settledAt = notes.isEmpty() ? row.updatedAt() : notes.get(0).scopeUpdatedAt();
        ScopeReport report = new ScopeReport(row.id(), row.name(), row.createdAt(),
                nonNegative(Duration.between(row.createdAt(), settledAt)), outcome, null, commands);
        boolean retryable = state == ScopeState.PENDING ? mapped != null
                : state == ScopeState.FAILED && entries.stream().filter(JournalScopeStore::stopped)
                        .allMatch(entry -> entry.call() != null);
        List<ScopeEvent> history = new ArrayList<>(notes.size());
        for (NoteRow note : notes) {
            history.add(event(note, commands));
        }
        return new StoredScope(report, state, retryable, row.updatedAt(), history);
    }

    /** A kept action; a retry's commands as they stood before it, read back from their lines. */
    private static ScopeEvent event(NoteRow note, List<CommandReport> commands) {
        List<ScopeEvent.RetriedCommand> retried = new ArrayList<>();
        if (note.retried() != null) {
            for (String line : note.retried().split("\n")) {
                String[] fields = line.split("\\|", 4);
                if (fields.length < 4) {
                    continue;
                }
                int index = Integer.parseInt(fields[0]);
                if (index >= commands.size()) {
                    continue;
                }
                CommandReport now = commands.get(index);
                int attempts = Integer.parseInt(fields[2]);
                retried.add(new ScopeEvent.RetriedCommand(index, new CommandReport(now.kind(), now.description(),
                        CommandStatus.FAILED, attempts, Math.max(attempts, now.maxAttempts()), Duration.ZERO, null,
                        fields[3].isEmpty() ? fields[1].toLowerCase(Locale.ROOT) : fields[3])));
            }
        }
        ScopeAction action;
        try {
            action = ScopeAction.valueOf(note.action());
        }
        catch (IllegalArgumentException unknown) {
            action = ScopeAction.NOTE;
        }
        return new ScopeEvent(note.at(), note.author(), action, note.note(), retried);
    }

    private CommandReport report(JournalEntry entry) {
        boolean dispatch = entry.kind() == Kind.DISPATCH;
        CommandStatus status = switch (entry.status()) {
            case DONE -> CommandStatus.DONE;
            case FAILED, PARKED, DEAD -> CommandStatus.FAILED;
            case DISCARDED, SETTLED, RESOLVED -> CommandStatus.DISCARDED;
            case PENDING, RUNNING, LAMBDA -> CommandStatus.PENDING;
        };
        String note = entry.lastError();
        if (note == null && entry.status() == Status.SETTLED) {
            note = "registered as a lambda; settled in memory, see the scope's own report";
        }
        int maxAttempts = dispatch ? journal.settings().dispatchMaxAttempts()
                : journal.settings().compensationMaxAttempts();
        return new CommandReport(dispatch ? CommandKind.DISPATCH : CommandKind.COMPENSATION, entry.description(),
                status, entry.attempts(), Math.max(maxAttempts, entry.attempts()), Duration.ZERO, null, note);
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
