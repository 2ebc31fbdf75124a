package io.github.compensation.test;

import io.github.compensation.journal.Journal;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Runs the journal's recovery now, as another instance would once the leases of a dead one expired (clauses J2–J4):
 * the second half of "the instance died right after commit" ({@link CompensationFaults#crashAfterNextCommit()}).
 * Needs {@code compensation-journal}, which the test module declares as an optional dependency.
 *
 * <p>The recovering instance runs with its own instance id and a clock set past the journal's lease, so every claim
 * held by this JVM counts as expired: run crash tests one at a time, not next to tests whose scopes are still running.
 * Thread-safe.
 */
public final class JournalRecovery {

    /** The instance id the recovering journal uses, visible in the journal's rows. */
    public static final String RECOVERING_INSTANCE = "compensation-test-recovery";

    private final Journal journal;

    /**
     * Creates the recovery for the application's journal; with {@code faults}, a crash also makes the journal forget
     * the scopes that had not settled, as a dead instance would.
     *
     * @param journal the application's journal
     * @param faults  the faults whose crashes the journal should follow
     */
    public JournalRecovery(Journal journal, CompensationFaults faults) {
        this.journal = Objects.requireNonNull(journal, "journal must not be null");
        faults.onCrash(journal::forgetScope);
    }

    /**
     * Recovers now: writes what this instance's settled scopes left for its worker, then settles the journal's units
     * whose instance died (a committed one is closed, any other is compensated newest first) and delivers the outbox
     * rows it left, until nothing is due.
     *
     * @return what was done
     */
    public Result recoverNow() {
        // what this instance's scopes settled is written first, as its worker would at its next poll; the scopes that
        // "crashed" were forgotten and left nothing to write
        journal.flushSettlements();
        Duration ahead = journal.settings().lease().plusSeconds(1);
        Journal other = journal.asInstance(RECOVERING_INSTANCE, Clock.offset(Clock.systemUTC(), ahead));
        int units = 0;
        int dispatches = 0;
        while (true) {
            int recovered = other.recoverDue();
            int delivered = other.dispatchDue();
            units += recovered;
            dispatches += delivered;
            if (recovered == 0 && delivered == 0) {
                return new Result(units, dispatches);
            }
        }
    }

    /**
     * What one recovery did.
     *
     * @param units      units (one per scope and transaction with durable compensations) claimed and settled
     * @param dispatches outbox rows claimed and run (delivered, or failed and rescheduled)
     */
    public record Result(int units, int dispatches) {
    }
}
