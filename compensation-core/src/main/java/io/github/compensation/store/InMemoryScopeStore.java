package io.github.compensation.store;

import io.github.compensation.CommandReport;
import io.github.compensation.Outcome;
import io.github.compensation.ScopeReport;
import io.github.compensation.spi.RetryHandle;
import io.github.compensation.spi.ScopeListener;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Keeps settled scopes in memory, for the operations endpoint when no journal is configured (clause O1): the most
 * recent {@code historySize} scopes that need nobody, and every scope that needs a person up to {@code attentionSize}
 * (beyond that the oldest is dropped, with a warning in the log). Register it as a {@link ScopeListener} of the
 * template; it keeps the {@link RetryHandle} of each scope that needs attention, so that a person can retry its
 * commands, until the scope is resolved, discarded, retried to completion, or dropped.
 *
 * <p>Keeping a scope that needs nobody costs no lookup, since every scope is reported once: the recent history is a
 * queue, searched newest first when someone asks for one scope by id.
 *
 * <p>Nothing survives a restart: that is what the journal is for. Thread-safe; commands run by {@link #retry(String, String, String)}
 * run on the calling thread, outside the store's lock.
 */
public final class InMemoryScopeStore implements ScopeStore, ScopeListener {

    private static final System.Logger LOG = System.getLogger(InMemoryScopeStore.class.getName());

    private final int historySize;
    private final int attentionSize;
    private final Clock clock;
    /** Whether the clock is the system's, whose time a report's end already gives: one clock read fewer per scope. */
    private final boolean systemClock;
    private final ArrayDeque<Kept> recent = new ArrayDeque<>();
    private final LinkedHashMap<String, Kept> attention = new LinkedHashMap<>();

    /**
     * Creates a store.
     *
     * @param historySize   how many scopes that need nobody to keep, the most recent; {@code 0} keeps none
     * @param attentionSize how many scopes that need a person to keep at most; at least 1
     * @param clock         for ages and update times
     */
    public InMemoryScopeStore(int historySize, int attentionSize, Clock clock) {
        if (historySize < 0) {
            throw new IllegalArgumentException("historySize must not be negative, but was " + historySize);
        }
        if (attentionSize < 1) {
            throw new IllegalArgumentException("attentionSize must be at least 1, but was " + attentionSize);
        }
        this.historySize = historySize;
        this.attentionSize = attentionSize;
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.systemClock = clock.equals(Clock.system(clock.getZone()));
    }

    /**
     * Creates a store keeping the 100 most recent scopes and up to 1,000 scopes needing attention.
     */
    public InMemoryScopeStore() {
        this(100, 1000, Clock.systemUTC());
    }

    @Override
    public void scopeFinished(ScopeReport report) {
        scopeFinished(report, null);
    }

    /**
     * Every scope while recent history is kept; with a history size of {@code 0}, only scopes that need a person, so
     * that the others cost no report at all.
     */
    @Override
    public boolean isInterestedIn(Outcome outcome, boolean needsAttention) {
        return needsAttention || historySize > 0;
    }

    @Override
    public void scopeFinished(ScopeReport report, @Nullable RetryHandle retry) {
        ScopeState state = ScopeState.of(report);
        Instant stored = systemClock ? report.startedAt().plus(report.duration()) : clock.instant();
        StoredScope scope = new StoredScope(report, state, retry != null, stored, List.of());
        synchronized (this) {
            keep(new Kept(scope, retry));
        }
    }

    @Override
    public List<StoredScope> find(ScopeQuery query) {
        Objects.requireNonNull(query, "query must not be null");
        Instant now = clock.instant();
        List<StoredScope> all;
        synchronized (this) {
            all = Stream.concat(recent.stream(), attention.values().stream()).map(Kept::scope).toList();
        }
        return all.stream()
                .filter(scope -> query.states().contains(scope.state()))
                .filter(scope -> query.minAge() == null
                        || !scope.report().startedAt().isAfter(now.minus(query.minAge())))
                .filter(scope -> query.maxAge() == null
                        || !scope.report().startedAt().isBefore(now.minus(query.maxAge())))
                .sorted(Comparator.comparing((StoredScope scope) -> scope.report().startedAt()).reversed())
                .limit(query.limit())
                .toList();
    }

    @Override
    public synchronized Optional<StoredScope> get(String id) {
        Kept kept = lookup(id);
        return kept == null ? Optional.empty() : Optional.of(kept.scope());
    }

    @Override
    public Optional<StoredScope> retry(String id, String by, @Nullable String note) {
        RetryHandle handle;
        synchronized (this) {
            Kept kept = lookup(id);
            if (kept == null) {
                return Optional.empty();
            }
            handle = kept.retry();
            if (handle == null) {
                throw new RefusedActionException(nothingToRetry(kept.scope()));
            }
        }
        // Locks are taken handle first, then the store, never the other way round: the handle's own methods lock it.
        synchronized (handle) {
            StoredScope before;
            synchronized (this) {
                Kept kept = lookup(id);
                if (kept == null || kept.retry() != handle || !handle.hasWork()) {
                    throw new RefusedActionException(kept == null ? "Scope " + id + " is no longer kept"
                            : nothingToRetry(kept.scope()));
                }
                before = kept.scope();
            }
            List<ScopeEvent.RetriedCommand> retried = new ArrayList<>();
            List<CommandReport> commands = before.report().commands();
            for (int i = 0; i < commands.size(); i++) {
                if (commands.get(i).needsAttention()) {
                    retried.add(new ScopeEvent.RetriedCommand(i, commands.get(i)));
                }
            }
            ScopeReport rerun = handle.retry();
            ScopeReport original = before.report();
            ScopeReport report = new ScopeReport(original.id(), original.name(), original.startedAt(),
                    original.duration(), original.outcome(), original.cause(), rerun.commands());
            boolean done = !handle.hasWork();
            ScopeState state = done ? ScopeState.RESOLVED : ScopeState.of(report);
            Instant now = clock.instant();
            StoredScope scope = new StoredScope(report, state, !done, now,
                    append(before.history(), new ScopeEvent(now, by, ScopeAction.RETRY, note, retried)));
            LOG.log(done ? Level.INFO : Level.ERROR, () -> "Retried on request of " + by + ", "
                    + (done ? "nothing left to do" : "still failing") + ": " + report.render());
            synchronized (this) {
                remove(id);
                keep(new Kept(scope, done ? null : handle));
            }
            return Optional.of(scope);
        }
    }

    private static String nothingToRetry(StoredScope scope) {
        String state = scope.state().name().toLowerCase(Locale.ROOT);
        return "Scope " + scope.id() + " has nothing to retry: it is " + state
                + (scope.state().needsAttention() ? " but its commands are no longer held; resolve or discard it"
                        : " and no failed or pending command is left");
    }

    @Override
    public Optional<StoredScope> resolve(String id, String by, @Nullable String note) {
        return act(id, ScopeAction.RESOLVE, by, note);
    }

    @Override
    public Optional<StoredScope> discard(String id, String by, @Nullable String note) {
        return act(id, ScopeAction.DISCARD, by, note);
    }

    @Override
    public Optional<StoredScope> note(String id, String by, String note) {
        Objects.requireNonNull(note, "note must not be null");
        return act(id, ScopeAction.NOTE, by, note);
    }

    private Optional<StoredScope> act(String id, ScopeAction action, String by, @Nullable String note) {
        StoredScope scope;
        synchronized (this) {
            Kept kept = lookup(id);
            if (kept == null) {
                return Optional.empty();
            }
            StoredScope before = kept.scope();
            if (action != ScopeAction.NOTE && !before.state().needsAttention()) {
                throw new RefusedActionException("Scope " + id + " needs nobody: it is "
                        + before.state().name().toLowerCase(Locale.ROOT) + ", so there is nothing to "
                        + action.name().toLowerCase(Locale.ROOT) + "; add a note instead");
            }
            Instant now = clock.instant();
            ScopeEvent event = new ScopeEvent(now, by, action, note, List.of());
            ScopeState state = switch (action) {
                case RESOLVE -> ScopeState.RESOLVED;
                case DISCARD -> ScopeState.DISCARDED;
                default -> before.state();
            };
            boolean closing = action != ScopeAction.NOTE;
            scope = new StoredScope(before.report(), state, !closing && before.retryable(),
                    closing ? now : before.updatedAt(), append(before.history(), event));
            Kept replaced = new Kept(scope, closing ? null : kept.retry());
            if (closing || !state.needsAttention()) {
                remove(id);
                keep(replaced);
            }
            else {
                attention.put(id, replaced);
            }
        }
        if (action != ScopeAction.NOTE) {
            LOG.log(Level.INFO, () -> "Scope " + id + " " + scope.report().name() + " marked "
                    + scope.state().name().toLowerCase(Locale.ROOT) + " by " + by + (note == null ? "" : ": " + note));
        }
        return Optional.of(scope);
    }

    private static List<ScopeEvent> append(List<ScopeEvent> history, ScopeEvent event) {
        List<ScopeEvent> longer = new ArrayList<>(history.size() + 1);
        longer.addAll(history);
        longer.add(event);
        return longer;
    }

    @Override
    public synchronized Map<ScopeState, Long> counts() {
        Map<ScopeState, Long> counts = new EnumMap<>(ScopeState.class);
        for (ScopeState state : ScopeState.values()) {
            counts.put(state, 0L);
        }
        Stream.concat(recent.stream(), attention.values().stream())
                .forEach(kept -> counts.merge(kept.scope().state(), 1L, Long::sum));
        return counts;
    }

    private @Nullable Kept lookup(String id) {
        Kept kept = attention.get(id);
        return kept != null ? kept : recent(id, false);
    }

    private @Nullable Kept remove(String id) {
        Kept kept = attention.remove(id);
        return kept != null ? kept : recent(id, true);
    }

    /** The recent scope with this id, searched newest first, and taken out of the history if asked. */
    private @Nullable Kept recent(String id, boolean remove) {
        for (Iterator<Kept> iterator = recent.descendingIterator(); iterator.hasNext(); ) {
            Kept kept = iterator.next();
            if (kept.scope().id().equals(id)) {
                if (remove) {
                    iterator.remove();
                }
                return kept;
            }
        }
        return null;
    }

    /**
     * Keeps the scope as the newest of its list. One that needs nobody is not looked for in the lists first: a scope is
     * reported once, and acting on one takes it out before keeping it again.
     */
    private void keep(Kept kept) {
        if (kept.scope().state().needsAttention()) {
            String id = kept.scope().id();
            remove(id);
            attention.put(id, kept);
            trim(attention, attentionSize);
        }
        else if (historySize > 0) {
            recent.addLast(kept);
            if (recent.size() > historySize) {
                recent.removeFirst();
            }
        }
    }

    private static void trim(LinkedHashMap<String, Kept> map, int size) {
        for (Iterator<Kept> iterator = map.values().iterator(); map.size() > size && iterator.hasNext(); ) {
            Kept dropped = iterator.next();
            iterator.remove();
            LOG.log(Level.WARNING, () -> "More than " + size + " scopes need attention: no longer keeping "
                    + dropped.scope().report().render());
        }
    }

    @Override
    public String toString() {
        return "InMemoryScopeStore[history " + historySize + ", attention " + attentionSize + "]";
    }

    private record Kept(StoredScope scope, @Nullable RetryHandle retry) {
    }
}
