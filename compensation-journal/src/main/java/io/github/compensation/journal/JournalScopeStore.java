package io.github.compensation.journal;

import io.github.compensation.CommandKind;
import io.github.compensation.CommandReport;
import io.github.compensation.CommandStatus;
import io.github.compensation.Outcome;
import io.github.compensation.ScopeReport;
import io.github.compensation.journal.JournalEntry.Kind;
import io.github.compensation.journal.JournalEntry.Status;
import io.github.compensation.journal.JournalRepository.ScopeRow;
import io.github.compensation.journal.JournalUnit.State;
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
 * <p>{@link #retry(String)} re-triggers the failed, parked or dead commands ({@link Journal#retrigger(String)}), which
 * the worker then runs, or settles an unknown unit by its marker ({@link Journal#resolveUnknown(String)});
 * {@link #resolve(String, String)} and {@link #discard(String, String)} run nothing
 * ({@link Journal#markResolved(String, String)}, {@link Journal#markDiscarded(String, String)}). The note a person
 * gives is kept with the commands (their {@code note} in the report), not on the scope. Command reports carry the
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
    public Optional<StoredScope> retry(String id) {
        ScopeRow row = store.findScopeRow(id);
        if (row == null) {
            return Optional.empty();
        }
        if (!row.dispatch() && State.ofColumn(row.state()) == State.UNKNOWN) {
            journal.resolveUnknown(id);
            return get(id);
        }
        List<JournalEntry> entries = entries(row);
        List<JournalEntry> stopped = entries.stream().filter(JournalScopeStore::stopped).toList();
        if (stopped.isEmpty()) {
            throw new IllegalStateException("Scope " + id + " has nothing failed, dead or parked to retry (journal"
                    + " state " + row.state() + ")");
        }
        if (stopped.stream().anyMatch(entry -> entry.call() == null)) {
            throw new IllegalStateException("Scope " + id + " has commands registered as lambdas, which the journal"
                    + " cannot run again; see to them by hand, then resolve the scope");
        }
        for (JournalEntry entry : stopped) {
            journal.retrigger(entry.id());
        }
        return get(id);
    }

    @Override
    public Optional<StoredScope> resolve(String id, @Nullable String note) {
        return act(id, journal.markResolved(id, note), "resolve");
    }

    @Override
    public Optional<StoredScope> discard(String id, @Nullable String note) {
        return act(id, journal.markDiscarded(id, note), "discard");
    }

    private Optional<StoredScope> act(String id, boolean acted, String action) {
        Optional<StoredScope> scope = get(id);
        if (!acted && scope.isPresent()) {
            throw new IllegalStateException("Cannot " + action + " scope " + id + ": it does not need a person (it is "
                    + scope.get().state() + " in the journal)");
        }
        return scope;
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
        ScopeReport report = new ScopeReport(row.id(), row.name(), row.createdAt(),
                nonNegative(Duration.between(row.createdAt(), row.updatedAt())), outcome, null, commands);
        boolean retryable = state == ScopeState.PENDING ? mapped != null
                : state == ScopeState.FAILED && entries.stream().filter(JournalScopeStore::stopped)
                        .allMatch(entry -> entry.call() != null);
        return new StoredScope(report, state, retryable, row.updatedAt(), null);
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
