package io.github.compensation.journal;

import io.github.compensation.Command;
import io.github.compensation.journal.JournalEntry.Status;
import io.github.compensation.journal.JournalUnit.State;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;

/**
 * Settles units that their instance left behind (J2, J4): it claims units whose lease expired, decides each one for
 * good by its marker (committed: closed without compensating; otherwise fenced off, so that its business transaction
 * can never commit), and runs the compensations of the others newest first, with back-off, until they are done or
 * need a person. Thread-safe.
 */
final class Recovery {

    private static final System.Logger LOG = System.getLogger(Recovery.class.getName());

    private final JournalContext context;

    Recovery(JournalContext context) {
        this.context = context;
    }

    /**
     * Claims units whose lease expired (their instance died, or recovery is waiting to retry) and settles each: a
     * committed one is closed without compensating, any other is compensated newest first.
     *
     * @return how many units were claimed
     */
    public int recoverDue() {
        List<String> ids = context.store.claimDueUnits(context.settings.instanceId(), context.now(),
                context.leaseUntil(), context.settings.batchSize());
        for (String id : ids) {
            try {
                recoverUnit(id);
            }
            catch (RuntimeException failure) {
                LOG.log(Level.ERROR, "Recovery of unit " + id + " failed; it is retried when its lease expires",
                        failure);
            }
        }
        return ids.size();
    }

    void recoverUnit(String id) {
        int timeout = (int) Math.max(1, context.settings.fenceTimeout().toSeconds());
        Verdict verdict = context.store.fence(id, context.now(), timeout);
        if (verdict == null) {
            LOG.log(Level.INFO, "Unit " + id + " is still held by a running business transaction, or the database"
                    + " did not answer; retried when its lease expires again");
            return;
        }
        if (verdict == Verdict.COMMITTED) {
            context.store.finishUnit(id, State.COMMITTED, Status.DISCARDED, Status.SETTLED, context.now());
            return;
        }
        compensate(id);
    }

    private void compensate(String id) {
        boolean needsPerson = false;
        Instant nextDue = null;
        for (JournalEntry row : context.store.compensationsOf(id)) {
            switch (row.status()) {
                case DONE, DISCARDED, SETTLED -> {
                    continue;
                }
                case LAMBDA -> {
                    context.store.park(row.id(), Status.PARKED, "registered as a lambda: not recoverable after"
                            + " a crash; undo '" + row.description() + "' by hand", context.now());
                    needsPerson = true;
                    continue;
                }
                case PENDING, RUNNING -> {
                    // runs below
                }
                default -> {
                    needsPerson = true;
                    continue;
                }
            }
            if (row.nextAttemptAt().isAfter(context.now())) {
                nextDue = nextDue == null || row.nextAttemptAt().isBefore(nextDue) ? row.nextAttemptAt() : nextDue;
                continue;
            }
            int attempt = row.attempts() + 1;
            if (attempt > context.settings.compensationMaxAttempts()) {
                context.store.markFailed(row.id(), Status.FAILED, context.now(), "failed after " + row.attempts()
                        + " attempt(s), the last one failed or never finished (did the instance running it die?)",
                        context.now());
                needsPerson = true;
                continue;
            }
            Command command;
            try {
                command = context.commandOf(row);
            }
            catch (UnreadableCommandException unreadable) {
                context.store.park(row.id(), Status.PARKED, "unreadable: " + unreadable.getMessage(), context.now());
                LOG.log(Level.ERROR, "Compensation " + row.id() + " '" + row.description() + "' parked: "
                        + unreadable.getMessage());
                needsPerson = true;
                continue;
            }
            if (context.store.startAttempt(row.id(), context.settings.instanceId(), context.leaseUntil(),
                    context.now()) == 0) {
                // the instance whose transaction was fenced off runs it from memory right now: look again later
                Instant later = context.leaseUntil();
                nextDue = nextDue == null || later.isBefore(nextDue) ? later : nextDue;
                continue;
            }
            try {
                IdempotencyKey.run(row.id(), command);
                context.store.markDone(List.of(row.id()), context.now());
            }
            catch (Exception | Error failure) {
                int attempts = attempt;
                if (attempts >= context.settings.compensationMaxAttempts()) {
                    context.store.markFailed(row.id(), Status.FAILED, context.now(), "failed after " + attempts
                            + " attempt(s): " + JournalContext.describe(failure), context.now());
                    needsPerson = true;
                }
                else {
                    Instant next = context.now().plus(context.settings.delayAfter(attempts));
                    context.store.markFailed(row.id(), Status.PENDING, next, JournalContext.describe(failure),
                            context.now());
                    nextDue = nextDue == null || next.isBefore(nextDue) ? next : nextDue;
                }
            }
        }
        if (nextDue != null) {
            context.store.setUnitState(id, State.ABORTED, nextDue, context.now());
        }
        else {
            context.store.setUnitState(id, needsPerson ? State.FAILED : State.COMPENSATED, context.now(),
                    context.now());
        }
    }

}
