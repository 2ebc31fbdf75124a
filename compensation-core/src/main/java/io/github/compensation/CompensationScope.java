package io.github.compensation;

import io.github.compensation.report.CommandKind;
import io.github.compensation.report.CommandReport;
import io.github.compensation.report.CommandStatus;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * One open scope: its rollback stack and dispatch queue. Applications see it only as a handle, to read its id or to
 * carry it to another thread through {@link Compensations#wrap(Runnable)}; the engine does the rest.
 *
 * <p>Registration is thread-safe, so that work carried to other threads may register commands in the same scope.
 * Once the scope stops accepting commands (its method returned or failed), registrations are refused.
 */
public final class CompensationScope {

    enum State { OPEN, JOINED, AWAITING, SETTLING, SETTLED }

    private final ScopeDefinition definition;
    private final @Nullable CompensationScope enclosing;
    private final @Nullable CompensationScope parent;
    private final Instant startedAt;
    private final long startNanos;
    private final long idHigh;
    private final long idLow;
    private @Nullable String id;
    private @Nullable ArrayDeque<Entry> stack;
    private @Nullable ArrayList<Entry> queue;
    private @Nullable ArrayList<CommandReport> discarded;
    private volatile State state = State.OPEN;

    CompensationScope(ScopeDefinition definition, @Nullable CompensationScope enclosing) {
        this.definition = definition;
        this.enclosing = enclosing;
        this.parent = definition.propagation() == Propagation.REQUIRED && enclosing != null && enclosing.isOpen()
                ? enclosing : null;
        this.startedAt = Instant.now();
        this.startNanos = System.nanoTime();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        this.idHigh = (random.nextLong() & ~0xF000L) | 0x4000L;
        this.idLow = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    }

    /**
     * The scope's unique id, as shown in reports and logs.
     *
     * @return a random UUID string
     */
    public String id() {
        String value = id;
        if (value == null) {
            value = new UUID(idHigh, idLow).toString();
            id = value;
        }
        return value;
    }

    /**
     * The scope's name, typically {@code Class.method}.
     *
     * @return the name from the scope's definition
     */
    public String name() {
        return definition.name();
    }

    /**
     * The scope this one joins when it returns normally (clause N1), or {@code null} when it settles on its own
     * (no enclosing scope, or {@link Propagation#REQUIRES_NEW}). Integrations that must follow what the engine drops
     * when a nested scope fails, such as a journal, use it to record the chain of scopes a command depends on.
     *
     * @return the enclosing scope it joins, or {@code null}
     */
    public @Nullable CompensationScope joinedScope() {
        return parent;
    }

    /**
     * The scope that settles the commands registered in this one when it returns normally: itself when it settles on
     * its own, otherwise the outermost scope it joins (clause N1). Integrations that keep state per settled scope,
     * such as a journal, key it by this scope's {@link #id()}.
     *
     * @return this scope or one that encloses it
     */
    public CompensationScope settlingScope() {
        CompensationScope scope = this;
        while (scope.parent != null) {
            scope = scope.parent;
        }
        return scope;
    }

    ScopeDefinition definition() {
        return definition;
    }

    @Nullable CompensationScope enclosing() {
        return enclosing;
    }

    /** The scope this one joins when it returns normally, or {@code null} when it settles on its own. */
    @Nullable CompensationScope parent() {
        return parent;
    }

    Instant startedAt() {
        return startedAt;
    }

    long startNanos() {
        return startNanos;
    }

    boolean isOpen() {
        return state == State.OPEN;
    }

    void pushRollback(Entry entry, boolean bottom) {
        synchronized (this) {
            if (state != State.OPEN) {
                throw new IllegalStateException(refusal(entry));
            }
            ArrayDeque<Entry> entries = stack;
            if (entries == null) {
                entries = new ArrayDeque<>(4);
                stack = entries;
            }
            if (bottom) {
                entries.addFirst(entry);
            }
            else {
                entries.addLast(entry);
            }
        }
    }

    void queueDispatch(Entry entry) {
        synchronized (this) {
            if (state == State.SETTLING) {
                discard(CommandReport.notRun(CommandKind.DISPATCH, entry.description, CommandStatus.DISCARDED,
                        "registered by a command while the scope was settling; not dispatched"));
                return;
            }
            if (state != State.OPEN) {
                throw new IllegalStateException(refusal(entry));
            }
            ArrayList<Entry> entries = queue;
            if (entries == null) {
                entries = new ArrayList<>(4);
                queue = entries;
            }
            entries.add(entry);
        }
    }

    private String refusal(Entry entry) {
        String kind = entry.kind == CommandKind.DISPATCH ? "dispatch" : "rollback";
        if (state == State.SETTLING) {
            return "Cannot register " + kind + " command '" + entry.description + "' while scope " + id() + " "
                    + name() + " is running its commands: register it before the scope ends, or open a new scope"
                    + " (for example by calling a method annotated with @RollbackOnceFailed)";
        }
        return "Cannot register " + kind + " command '" + entry.description + "': scope " + id() + " " + name()
                + " has already ended; register commands while its method is still running";
    }

    void discardCompensations() {
        synchronized (this) {
            if (state != State.OPEN) {
                throw new IllegalStateException("Cannot discard the compensations of scope " + id() + " " + name()
                        + ": it is no longer running; call discardAll() from inside the scope's method");
            }
            ArrayDeque<Entry> entries = stack;
            if (entries == null) {
                return;
            }
            for (var iterator = entries.descendingIterator(); iterator.hasNext(); ) {
                Entry entry = iterator.next();
                if (entry.kind == CommandKind.COMPENSATION) {
                    iterator.remove();
                    discard(CommandReport.notRun(CommandKind.COMPENSATION, entry.description,
                            CommandStatus.DISCARDED, "discarded at the point of no return"));
                }
            }
        }
    }

    private void discard(CommandReport report) {
        ArrayList<CommandReport> reports = discarded;
        if (reports == null) {
            reports = new ArrayList<>(2);
            discarded = reports;
        }
        reports.add(report);
    }

    /** Moves this scope's commands into its parent, which will settle them (N1); dispatches too unless dropped. */
    void joinParent(boolean keepDispatches) {
        CompensationScope target = Objects.requireNonNull(parent);
        List<Entry> rollbackEntries;
        List<Entry> dispatchEntries;
        List<CommandReport> reports;
        synchronized (this) {
            state = State.JOINED;
            rollbackEntries = stack == null ? List.of() : new ArrayList<>(stack);
            dispatchEntries = queue == null || !keepDispatches ? List.of() : queue;
            reports = discarded == null ? List.of() : discarded;
        }
        synchronized (target) {
            if (target.state != State.OPEN) {
                throw new IllegalStateException("Scope " + id() + " " + name() + " cannot join scope " + target.id()
                        + " " + target.name() + ": the enclosing scope has already ended");
            }
            for (Entry entry : rollbackEntries) {
                target.pushRollback(entry, false);
            }
            for (Entry entry : dispatchEntries) {
                target.queueDispatch(entry);
            }
            for (CommandReport report : reports) {
                target.discard(report);
            }
        }
    }

    /** Stops accepting commands; the scope now waits for its transaction to complete. */
    void await() {
        synchronized (this) {
            state = State.AWAITING;
        }
    }

    /** Stops accepting commands and hands out what must run, newest rollback entry first. */
    Snapshot beginSettling() {
        synchronized (this) {
            state = State.SETTLING;
            List<Entry> rollbackEntries = new ArrayList<>(stack == null ? 0 : stack.size());
            if (stack != null) {
                stack.descendingIterator().forEachRemaining(rollbackEntries::add);
            }
            return new Snapshot(rollbackEntries, queue == null ? List.of() : List.copyOf(queue));
        }
    }

    /** Marks the scope settled and returns the reports of commands discarded along the way. */
    List<CommandReport> endSettling() {
        synchronized (this) {
            state = State.SETTLED;
            return discarded == null ? List.of() : List.copyOf(discarded);
        }
    }

    /** Takes the queued dispatches of a scope that failed without rollback: they are reported, never run. */
    List<Entry> queuedDispatches() {
        synchronized (this) {
            return queue == null ? List.of() : List.copyOf(queue);
        }
    }

    @Override
    public String toString() {
        return "CompensationScope[" + id() + " " + name() + " " + state + "]";
    }

    record Snapshot(List<Entry> rollbackEntries, List<Entry> dispatchEntries) {
    }

    /** One registered command. */
    static final class Entry {

        final CommandKind kind;
        final String description;
        final Command command;

        Entry(CommandKind kind, String description, Command command) {
            this.kind = kind;
            this.description = description;
            this.command = command;
        }
    }
}
