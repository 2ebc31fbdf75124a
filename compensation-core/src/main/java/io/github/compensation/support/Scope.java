package io.github.compensation.support;

import io.github.compensation.Command;
import io.github.compensation.Outcome;
import io.github.compensation.Propagation;
import io.github.compensation.ScopeDefinition;
import io.github.compensation.CommandKind;
import io.github.compensation.CommandReport;
import io.github.compensation.CommandStatus;
import io.github.compensation.RollbackHandle;
import io.github.compensation.ScopeReport;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import io.github.compensation.spi.CompensationScope;
import org.jspecify.annotations.Nullable;

/**
 * The engine's state of one scope: its rollback stack and dispatch queue. Integrations see it as a
 * {@link CompensationScope}; the template and the holders drive it.
 *
 * <p>Registration is thread-safe, so that work carried to other threads may register commands in the same scope.
 * Once the scope starts settling, registrations are refused; from then on only the settling thread reads its lists.
 */
final class Scope implements CompensationScope {

    enum State { OPEN, JOINED, AWAITING, SETTLING, SETTLED }

    private static final String WITHDRAWN = "withdrawn";
    private static final String POINT_OF_NO_RETURN = "discarded at the point of no return";
    private static final String DISPATCHES_DISCARDED = WITHDRAWN + " by dispatch.discardAll()";
    private static final String WITHDRAWN_BY_METHOD = WITHDRAWN + " by the scope's method";

    private final ScopeDefinition definition;
    private final @Nullable Scope enclosing;
    private final boolean joinsEnclosing;
    private final long startNanos;
    private @Nullable Entry top;
    private @Nullable Entry queue;
    private @Nullable Extras extras;
    /**
     * Written with release and read with acquire semantics through {@link #STATE}: other threads see changes in order,
     * without the full fence of a volatile write, which three times per scope cost more than the rest of its state.
     */
    private State state = State.OPEN;
    private boolean shared;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Scope.class, "state", State.class);
        }
        catch (ReflectiveOperationException impossible) {
            throw new ExceptionInInitializerError(impossible);
        }
    }

    Scope(ScopeDefinition definition, @Nullable Scope enclosing) {
        this.definition = definition;
        this.enclosing = enclosing;
        this.joinsEnclosing = definition.propagation() == Propagation.REQUIRED && enclosing != null
                && enclosing.isOpen();
        this.startNanos = System.nanoTime();
    }

    /** Made on first use and kept with the rarely needed state, which keeps a scope nobody reports on small. */
    @Override
    public String id() {
        Extras current = extras;
        String value = current == null ? null : current.id;
        if (value != null) {
            return value;
        }
        synchronized (this) {
            current = extras();
            if (current.id == null) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                current.id = new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                        (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
            }
            return current.id;
        }
    }

    @Override
    public String name() {
        return definition.name();
    }

    @Override
    public @Nullable Object getAttribute(String name) {
        Objects.requireNonNull(name, "name must not be null");
        Extras current = extras;
        ConcurrentHashMap<String, Object> attributes = current == null ? null : current.attributes;
        return attributes == null ? null : attributes.get(name);
    }

    @Override
    public void setAttribute(String name, @Nullable Object value) {
        Objects.requireNonNull(name, "name must not be null");
        ConcurrentHashMap<String, Object> attributes;
        synchronized (this) {
            Extras current = extras();
            if (current.attributes == null) {
                if (value == null) {
                    return;
                }
                current.attributes = new ConcurrentHashMap<>(4);
            }
            attributes = current.attributes;
        }
        if (value == null) {
            attributes.remove(name);
        }
        else {
            attributes.put(name, value);
        }
    }

    private Extras extras() {
        Extras current = extras;
        if (current == null) {
            current = new Extras();
            extras = current;
        }
        return current;
    }

    @Override
    public @Nullable Scope joinedScope() {
        return parent();
    }

    @Override
    public Scope settlingScope() {
        Scope scope = this;
        for (Scope next = scope.parent(); next != null; next = next.parent()) {
            scope = next;
        }
        return scope;
    }

    @Override
    public ScopeDefinition definition() {
        return definition;
    }

    @Nullable Scope enclosing() {
        return enclosing;
    }

    /** The scope this one joins when it returns normally, or {@code null} when it settles on its own. */
    @Nullable Scope parent() {
        return joinsEnclosing ? enclosing : null;
    }

    long startNanos() {
        return startNanos;
    }

    private State state() {
        return (State) STATE.getAcquire(this);
    }

    private void state(State next) {
        STATE.setRelease(this, next);
    }

    boolean isOpen() {
        return state() == State.OPEN;
    }

    /** Whether the scope is running its commands. */
    boolean isSettling() {
        return state() == State.SETTLING;
    }

    /**
     * Marks the scope as reachable from other threads: from now on every change to it takes its lock. Until then
     * only the thread that opened it can reach it, and the common path pays for no lock.
     */
    void share() {
        shared = true;
    }

    void pushRollback(Entry entry, boolean atBottom) {
        if (shared) {
            synchronized (this) {
                push(entry, atBottom);
            }
        }
        else {
            push(entry, atBottom);
        }
    }

    private void push(Entry entry, boolean atBottom) {
        if (state != State.OPEN) {
            throw new IllegalStateException(refusal(entry));
        }
        if (atBottom && top != null) {
            last(top).link = entry;
        }
        else {
            entry.link = top;
            top = entry;
        }
    }

    void queueDispatch(Entry entry) {
        if (shared) {
            synchronized (this) {
                enqueue(entry);
            }
        }
        else {
            enqueue(entry);
        }
    }

    private void enqueue(Entry entry) {
        if (state == State.SETTLING) {
            String note = "registered by a command while the scope was settling; not dispatched";
            discard(CommandReport.notRun(CommandKind.DISPATCH, entry.description, CommandStatus.DISCARDED, note));
            entry.markWithdrawn(note);
            return;
        }
        if (state != State.OPEN) {
            throw new IllegalStateException(refusal(entry));
        }
        entry.link = queue;
        queue = entry;
    }

    private String refusal(Entry entry) {
        String kind = entry.kind() == CommandKind.DISPATCH ? "dispatch" : "rollback";
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
            Entry kept = null;
            Entry keptLast = null;
            for (Entry entry = top; entry != null; entry = entry.link) {
                if (entry.kind() == CommandKind.COMPENSATION && !entry.isWithdrawn()) {
                    discard(CommandReport.notRun(CommandKind.COMPENSATION, entry.description,
                            CommandStatus.DISCARDED, POINT_OF_NO_RETURN));
                    entry.markWithdrawn(POINT_OF_NO_RETURN);
                }
                else if (keptLast == null) {
                    kept = entry;
                    keptLast = entry;
                }
                else {
                    keptLast.link = entry;
                    keptLast = entry;
                }
            }
            if (keptLast != null) {
                keptLast.link = null;
            }
            top = kept;
        }
    }

    /** Withdraws every dispatch queued so far (D6); they stay in the queue, marked, so the report keeps their order. */
    void discardDispatches() {
        synchronized (this) {
            if (state != State.OPEN) {
                throw new IllegalStateException("Cannot discard the dispatches of scope " + id() + " " + name()
                        + ": " + ended() + "; call discardAll() from inside the scope's method");
            }
            for (Entry entry = queue; entry != null; entry = entry.link) {
                if (!entry.isWithdrawn()) {
                    entry.markWithdrawn(DISPATCHES_DISCARDED);
                }
            }
        }
    }

    /**
     * Withdraws one command through its handle (R11, D6). A shared scope may join its parent meanwhile (another
     * thread returned from it); the entry then belongs to the parent, which is asked instead.
     */
    void withdraw(Entry entry, String note) {
        if (!shared) {
            withdrawNow(entry, note);
            return;
        }
        synchronized (this) {
            if (state != State.JOINED) {
                withdrawNow(entry, note);
                return;
            }
        }
        holder().withdraw(entry, note);
    }

    private void withdrawNow(Entry entry, String note) {
        if (state == State.OPEN && entry.status() != null) {
            return;
        }
        checkChangeable(entry, "withdraw");
        entry.markWithdrawn(note);
    }

    /** Turns a rollback-stack command into a compensation or a cleanup through its handle (R11). */
    void convert(Entry entry, CommandKind kind) {
        if (!shared) {
            convertNow(entry, kind);
            return;
        }
        synchronized (this) {
            if (state != State.JOINED) {
                convertNow(entry, kind);
                return;
            }
        }
        holder().convert(entry, kind);
    }

    private void convertNow(Entry entry, CommandKind kind) {
        String action = kind == CommandKind.CLEANUP ? "make a cleanup of" : "make a compensation of";
        if (entry.kind() == CommandKind.DISPATCH) {
            throw new IllegalStateException("Cannot " + action + " dispatch command '" + entry.description
                    + "': only commands on the rollback stack can change kind");
        }
        checkChangeable(entry, action);
        entry.kind(kind);
    }

    private void checkChangeable(Entry entry, String action) {
        if (state != State.OPEN) {
            throw new IllegalStateException("Cannot " + action + " command '" + entry.description + "' of scope "
                    + id() + " " + name() + ": " + ended() + "; use its handle only while the scope's method runs");
        }
        String withdrawal = entry.withdrawal();
        if (withdrawal != null) {
            throw new IllegalStateException("Cannot " + action + " command '" + entry.description + "' of scope "
                    + id() + " " + name() + ": it was already " + withdrawal);
        }
        if (entry.status() != null) {
            throw new IllegalStateException("Cannot " + action + " command '" + entry.description + "' of scope "
                    + id() + " " + name() + ": it was already discarded when its nested scope failed");
        }
    }

    private String ended() {
        return state == State.SETTLING ? "it is running its commands" : state == State.AWAITING
                ? "it has ended and waits for its transaction to complete" : "it has already ended";
    }

    /** The scope that holds an entry now: its own, or the one it joined (N1). */
    private Scope holder() {
        Scope scope = this;
        while (scope.state() == State.JOINED) {
            Scope parent = scope.parent();
            if (parent == null) {
                break;
            }
            scope = parent;
        }
        return scope;
    }

    private void discard(CommandReport report) {
        Extras current = extras();
        if (current.discarded == null) {
            current.discarded = new ArrayList<>(2);
        }
        current.discarded.add(report);
    }

    private List<CommandReport> discarded() {
        Extras current = extras;
        return current == null || current.discarded == null ? List.of() : current.discarded;
    }

    /**
     * The report published when the scope settled, kept only when its caller may still be told that dispatches failed
     * (so that the exception carries the very report the listeners saw).
     */
    @Nullable ScopeReport publishedReport() {
        Extras current = extras;
        return current == null ? null : current.report;
    }

    void published(ScopeReport report) {
        synchronized (this) {
            extras().report = report;
        }
    }

    /**
     * Moves this scope's rollback stack (and its dispatch queue, unless dropped) onto its parent, which will settle
     * them (N1). Dropped dispatches stay here, marked discarded, for this scope's own report.
     */
    void joinParent(boolean keepDispatches) {
        Scope target = Objects.requireNonNull(parent());
        Entry stack;
        Entry dispatches;
        List<CommandReport> reports;
        synchronized (this) {
            state(State.JOINED);
            stack = top;
            top = null;
            if (keepDispatches) {
                dispatches = queue;
                queue = null;
                reports = discarded();
                if (extras != null) {
                    extras.discarded = null;
                }
            }
            else {
                dispatches = null;
                queue = reverse(queue);
                for (Entry entry = queue; entry != null; entry = entry.link) {
                    entry.notRun(CommandStatus.DISCARDED);
                }
                reports = List.of();
            }
        }
        synchronized (target) {
            if (target.state != State.OPEN) {
                throw new IllegalStateException("Scope " + id() + " " + name() + " cannot join scope " + target.id()
                        + " " + target.name() + ": the enclosing scope has already ended");
            }
            if (stack != null) {
                last(stack).link = target.top;
                target.top = stack;
            }
            target.shared |= shared;
            if (dispatches != null) {
                last(dispatches).link = target.queue;
                target.queue = dispatches;
            }
            for (CommandReport report : reports) {
                target.discard(report);
            }
        }
    }

    /**
     * Joins the parent as {@link #joinParent(boolean)} does if the parent is still open, and says whether it did; a
     * scope whose work ended on another thread, after its parent may have ended, uses it (A1).
     */
    boolean tryJoinParent(boolean keepDispatches) {
        Scope target = Objects.requireNonNull(parent());
        synchronized (target) {
            if (target.state != State.OPEN) {
                return false;
            }
            joinParent(keepDispatches);
            return true;
        }
    }

    /**
     * The commands registered in this scope so far, the mark of a savepoint taken now (S1): what a rollback to it
     * leaves alone. Savepoints are rare, so the mark is a copy rather than a number kept on every command.
     */
    Set<Entry> savepointMark() {
        synchronized (this) {
            Set<Entry> mark = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Entry entry = top; entry != null; entry = entry.link) {
                mark.add(entry);
            }
            for (Entry entry = queue; entry != null; entry = entry.link) {
                mark.add(entry);
            }
            return mark;
        }
    }

    /**
     * For a rollback to a savepoint whose {@code mark} was taken earlier (clause S1): the compensations registered since
     * (those of nested scopes that joined this one meanwhile included), newest
     * first, not yet run; the dispatches queued since are discarded. Cleanups stay for the scope's end. Empty once the
     * scope is no longer open.
     */
    List<Entry> rolledBackTo(Set<Entry> mark) {
        synchronized (this) {
            if (state != State.OPEN) {
                return List.of();
            }
            List<Entry> compensations = new ArrayList<>();
            for (Entry entry = top; entry != null; entry = entry.link) {
                if (!mark.contains(entry) && entry.kind() == CommandKind.COMPENSATION && !entry.isWithdrawn()
                        && entry.status() == null) {
                    entry.runningAtSavepoint();
                    compensations.add(entry);
                }
            }
            for (Entry entry = queue; entry != null; entry = entry.link) {
                if (!mark.contains(entry) && !entry.isWithdrawn() && entry.status() == null) {
                    entry.markWithdrawn("dropped: its transaction rolled back to a savepoint");
                }
            }
            return compensations;
        }
    }

    private static Entry last(Entry first) {
        Entry entry = first;
        while (entry.link != null) {
            entry = entry.link;
        }
        return entry;
    }

    private static @Nullable Entry reverse(@Nullable Entry first) {
        Entry reversed = null;
        Entry entry = first;
        while (entry != null) {
            Entry following = entry.link;
            entry.link = reversed;
            reversed = entry;
            entry = following;
        }
        return reversed;
    }

    /** Stops accepting commands; the scope now waits for its transaction to complete. */
    void await() {
        synchronized (this) {
            state(State.AWAITING);
        }
    }

    /**
     * Stops accepting commands and turns the dispatch queue oldest first; from now on only the settling thread
     * touches the entries. Returns {@code false} when the scope already settled, so that nothing runs twice even if a
     * transaction bridge reported completion twice.
     */
    boolean beginSettling() {
        if (shared) {
            synchronized (this) {
                return settling();
            }
        }
        return settling();
    }

    private boolean settling() {
        State current = state();
        if (current == State.SETTLING || current == State.SETTLED) {
            return false;
        }
        state(State.SETTLING);
        queue = reverse(queue);
        return true;
    }

    void endSettling() {
        state(State.SETTLED);
    }

    /** The newest rollback entry, start of the newest-first chain; read it only while or after settling. */
    @Nullable Entry top() {
        return top;
    }

    /** The oldest dispatch entry, start of the oldest-first chain; read it only while or after settling. */
    @Nullable Entry head() {
        return queue;
    }

    boolean hasCommands() {
        return top != null || queue != null;
    }

    void recordFailure() {
        extras().failures++;
    }

    int failures() {
        Extras current = extras;
        return current == null ? 0 : current.failures;
    }

    /** A command failed, or compensations were left pending because the outcome is unknown. */
    boolean needsAttention(Outcome outcome) {
        return failures() > 0 || outcome == Outcome.UNKNOWN;
    }

    /**
     * Every command's result: the rollback stack newest first, the dispatch queue, then those discarded on the way; an
     * immutable list, which the report keeps as it is instead of copying it.
     */
    List<CommandReport> commandReports(Outcome outcome, int maxAttempts) {
        List<CommandReport> discarded = discarded();
        int count = discarded.size();
        for (Entry entry = top; entry != null; entry = entry.link) {
            count++;
        }
        for (Entry entry = queue; entry != null; entry = entry.link) {
            count++;
        }
        CommandReport[] reports = new CommandReport[count];
        int index = 0;
        for (Entry entry = top; entry != null; entry = entry.link) {
            reports[index++] = entry.report(outcome, maxAttempts);
        }
        for (Entry entry = queue; entry != null; entry = entry.link) {
            reports[index++] = entry.report(outcome, maxAttempts);
        }
        for (CommandReport report : discarded) {
            reports[index++] = report;
        }
        return List.of(reports);
    }

    /** Whether a command failed or was left pending, so that running it again makes sense. */
    boolean hasWorkLeft() {
        for (Entry entry = top; entry != null; entry = entry.link) {
            if (entry.needsAttention()) {
                return true;
            }
        }
        for (Entry entry = queue; entry != null; entry = entry.link) {
            if (entry.needsAttention()) {
                return true;
            }
        }
        return false;
    }

    /** What a scope rarely needs, kept apart so that the common scope stays small. */
    private static final class Extras {

        @Nullable String id;
        int failures;
        @Nullable ArrayList<CommandReport> discarded;
        @Nullable ConcurrentHashMap<String, Object> attributes;
        @Nullable ScopeReport report;
    }

    @Override
    public String toString() {
        return "Scope[" + id() + " " + name() + " " + state() + "]";
    }

    /**
     * One registered command and, once its scope settled, what became of it. An entry links itself into its scope's
     * rollback stack (newest first) or dispatch queue, so registering allocates nothing but the entry, and it is also
     * the handle {@code append} returns. It is kept to 40 bytes on purpose: kind, status, attempts and two flags share
     * one int, the duration is kept in microseconds (saturating after about 35 minutes), and one field holds either
     * the failure of a command that ran or the note of one that will not run (a command that ran at a savepoint keeps
     * a flag for its note instead, since it may have failed as well). The note explaining a command that did not run
     * is otherwise derived when a report is made.
     */
    static final class Entry implements RollbackHandle {

        private static final CommandStatus[] STATUSES = CommandStatus.values();
        private static final CommandKind[] KINDS = CommandKind.values();
        private static final int STATUS_MASK = 0xF;
        private static final int UNSETTLED = STATUS_MASK;
        private static final int KIND_SHIFT = 4;
        private static final int KIND_MASK = 0x3 << KIND_SHIFT;
        /** The command will not run when the scope settles: withdrawn, discarded, or already run at a savepoint. */
        private static final int WITHHELD = 1 << 6;
        private static final int RAN_AT_SAVEPOINT = 1 << 7;
        private static final int ATTEMPTS_SHIFT = 8;
        private static final String SAVEPOINT_NOTE = "ran when its transaction rolled back to a savepoint";

        final String description;
        final Command command;
        private final Scope registeredIn;
        @Nullable Entry link;
        /** The failure of a command that ran, or the note of a command withheld from settling; else null. */
        private @Nullable Object detail;
        /** Kind, status, flags and attempts; the kind changes only through a handle, while the scope is open. */
        private int bits;
        private int micros;

        Entry(Scope registeredIn, CommandKind kind, String description, Command command) {
            this.registeredIn = registeredIn;
            this.bits = UNSETTLED | (kind.ordinal() << KIND_SHIFT);
            this.description = description;
            this.command = command;
        }

        void markWithdrawn(String note) {
            detail = note;
            bits |= WITHHELD;
            notRun(CommandStatus.DISCARDED);
        }

        /** Withholds the command from settling because it runs now, when its transaction rolled back to a savepoint. */
        void runningAtSavepoint() {
            bits |= WITHHELD | RAN_AT_SAVEPOINT;
        }

        /** Why the command will not run at settling (withdrawn, or its savepoint rolled back), else null. */
        @Nullable String withdrawal() {
            if ((bits & RAN_AT_SAVEPOINT) != 0) {
                return SAVEPOINT_NOTE;
            }
            return (bits & WITHHELD) != 0 && detail instanceof String note ? note : null;
        }

        /** The failure of the command's last run, or {@code null}. */
        @Nullable Throwable error() {
            return detail instanceof Throwable failure ? failure : null;
        }

        void kind(CommandKind kind) {
            bits = (bits & ~KIND_MASK) | (kind.ordinal() << KIND_SHIFT);
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public CommandKind kind() {
            return KINDS[(bits & KIND_MASK) >>> KIND_SHIFT];
        }

        @Override
        public boolean isWithdrawn() {
            return (bits & WITHHELD) != 0;
        }

        @Override
        public void withdraw() {
            registeredIn.holder().withdraw(this, WITHDRAWN_BY_METHOD);
        }

        @Override
        public void withdraw(String reason) {
            Objects.requireNonNull(reason, "reason must not be null");
            registeredIn.holder().withdraw(this, WITHDRAWN + ": " + reason);
        }

        @Override
        public void runAlways() {
            registeredIn.holder().convert(this, CommandKind.CLEANUP);
        }

        @Override
        public void keepOnSuccess() {
            registeredIn.holder().convert(this, CommandKind.COMPENSATION);
        }

        @Override
        public String toString() {
            String withdrawal = withdrawal();
            return kind().name().toLowerCase(Locale.ROOT) + " '" + description + "'"
                    + (withdrawal != null ? " (" + withdrawal + ")" : "");
        }

        void ran(int attempts, long nanos, @Nullable Throwable failure) {
            CommandStatus status = failure == null ? CommandStatus.DONE : CommandStatus.FAILED;
            this.bits = (Math.min(attempts, 0xFFFFFF) << ATTEMPTS_SHIFT) | (bits & ~STATUS_MASK & 0xFF)
                    | status.ordinal();
            this.micros = nanos < 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, nanos / 1_000);
            this.detail = failure;
        }

        void notRun(CommandStatus status) {
            this.bits = (bits & ~STATUS_MASK) | status.ordinal();
        }

        /** The status, or {@code null} while the command has not been settled. */
        @Nullable CommandStatus status() {
            int ordinal = bits & STATUS_MASK;
            return ordinal == UNSETTLED ? null : STATUSES[ordinal];
        }

        int attempts() {
            return bits >>> ATTEMPTS_SHIFT;
        }

        boolean needsAttention() {
            CommandStatus status = status();
            return status == CommandStatus.FAILED || status == CommandStatus.PENDING;
        }

        CommandReport report(Outcome outcome, int maxAttempts) {
            CommandStatus status = status();
            CommandStatus reported = status != null ? status : CommandStatus.PENDING;
            int attempts = attempts();
            return new CommandReport(kind(), description, reported, attempts, attempts == 0 ? 0 : maxAttempts,
                    micros == 0 ? Duration.ZERO : Duration.ofNanos(micros * 1_000L), error(), note(reported, outcome));
        }

        private @Nullable String note(CommandStatus reported, Outcome outcome) {
            String withdrawal = withdrawal();
            if (withdrawal != null) {
                return withdrawal;
            }
            return switch (reported) {
                case DONE, FAILED -> null;
                case PENDING -> "outcome unknown: check the remote side and resolve by hand";
                case DISCARDED -> kind() == CommandKind.DISPATCH
                        ? "not committed: " + outcome.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                        : outcome == Outcome.COMMITTED ? "not needed: committed" : "the scope failed without rollback";
            };
        }
    }
}
