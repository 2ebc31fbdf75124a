package io.github.compensation.store;

import io.github.compensation.Outcome;
import io.github.compensation.spi.RetryHandle;
import io.github.compensation.spi.ScopeListener;
import io.github.compensation.ScopeReport;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
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
 * <p>Nothing survives a restart: that is what the journal is for. Thread-safe; commands run by {@link #retry(String)}
 * run on the calling thread, outside the store's lock.
 */
public final class InMemoryScopeStore implements ScopeStore, ScopeListener {

    private static final System.Logger LOG = System.getLogger(InMemoryScopeStore.class.getName());

    private final int historySize;
    private final int attentionSize;
    private final Clock clock;
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
        StoredScope scope = new StoredScope(report, state, retry != null, clock.instant(), null);
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
    public Optional<StoredScope> retry(String id) {
        RetryHandle handle;
        synchronized (this) {
            Kept kept = lookup(id);
            if (kept == null) {
                return Optional.empty();
            }
            handle = kept.retry();
            if (handle == null || !handle.hasWork()) {
                throw new IllegalStateException("Scope " + id + " has nothing to retry: it is "
                        + kept.scope().state().name().toLowerCase(java.util.Locale.ROOT)
                        + (kept.scope().state().needsAttention()
                                ? " but its commands are no longer held; resolve or discard it"
                                : ", and no failed or pending command is left"));
            }
        }
        ScopeReport report = handle.retry();
        boolean done = !handle.hasWork();
        ScopeState state = done ? ScopeState.RESOLVED : ScopeState.of(report);
        StoredScope scope = new StoredScope(report, state, !done, clock.instant(),
                done ? "retried: every failed or pending command is done" : "retried: still failing");
        LOG.log(done ? Level.INFO : Level.ERROR, () -> "Retried on request: " + report.render());
        synchronized (this) {
            remove(id);
            keep(new Kept(scope, done ? null : handle));
        }
        return Optional.of(scope);
    }

    @Override
    public Optional<StoredScope> resolve(String id, @Nullable String note) {
        return close(id, ScopeState.RESOLVED, note);
    }

    @Override
    public Optional<StoredScope> discard(String id, @Nullable String note) {
        return close(id, ScopeState.DISCARDED, note);
    }

    private Optional<StoredScope> close(String id, ScopeState state, @Nullable String note) {
        StoredScope scope;
        synchronized (this) {
            Kept kept = remove(id);
            if (kept == null) {
                return Optional.empty();
            }
            scope = new StoredScope(kept.scope().report(), state, false, clock.instant(), note);
            keep(new Kept(scope, null));
        }
        LOG.log(Level.INFO, () -> "Scope " + id + " " + scope.report().name() + " marked "
                + state.name().toLowerCase(java.util.Locale.ROOT) + (note == null ? "" : ": " + note));
        return Optional.of(scope);
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
