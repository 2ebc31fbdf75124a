package io.github.compensation.journal;

import java.lang.System.Logger.Level;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the journal in the background: at every poll it writes what committed scopes left to settle (their deliveries
 * done, their units closed: one write for all), renews this instance's leases, delivers due dispatches until
 * none are left, recovers scopes whose lease expired, and once a minute deletes finished entries older than the
 * retention (J2–J4). One daemon thread per instance; several instances share the work through row claims. An instance
 * configured not to deliver and recover still renews the leases of its own running scopes.
 */
public class JournalWorker implements SmartLifecycle {

    private static final System.Logger LOG = System.getLogger(JournalWorker.class.getName());

    private final Journal journal;
    private final java.time.Duration retention;
    private final boolean deliverAndRecover;
    private @Nullable ScheduledExecutorService executor;
    private long lastPurge;

    /**
     * @param journal   the journal to run
     * @param retention how long finished entries are kept before they are deleted
     */
    public JournalWorker(Journal journal, java.time.Duration retention) {
        this(journal, retention, true);
    }

    /**
     * @param journal           the journal to run
     * @param retention         how long finished entries are kept before they are deleted
     * @param deliverAndRecover {@code false} for an instance that only renews the leases of its own running scopes
     *                          and leaves delivery, recovery and purging to other instances
     */
    public JournalWorker(Journal journal, java.time.Duration retention, boolean deliverAndRecover) {
        this.journal = journal;
        this.retention = retention;
        this.deliverAndRecover = deliverAndRecover;
    }

    /**
     * One round: write what committed scopes left to settle, renew, deliver, recover. Exceptions are logged; the next
     * round tries again.
     */
    public void runOnce() {
        try {
            journal.flushSettlements();
        }
        catch (RuntimeException failure) {
            LOG.log(Level.WARNING, "Journal could not record settled scopes", failure);
        }
        try {
            journal.renewLeases();
        }
        catch (RuntimeException failure) {
            LOG.log(Level.WARNING, "Journal could not renew its leases", failure);
        }
        if (!deliverAndRecover) {
            return;
        }
        try {
            while (journal.dispatchDue() >= journal.settings().batchSize()) {
                // a full batch: more may be due
            }
        }
        catch (RuntimeException failure) {
            LOG.log(Level.WARNING, "Journal could not deliver due dispatches", failure);
        }
        try {
            while (journal.recoverDue() >= journal.settings().batchSize()) {
                // a full batch: more may be due
            }
        }
        catch (RuntimeException failure) {
            LOG.log(Level.WARNING, "Journal could not recover expired scopes", failure);
        }
        if (System.nanoTime() - lastPurge > java.util.concurrent.TimeUnit.MINUTES.toNanos(1) || lastPurge == 0) {
            lastPurge = System.nanoTime();
            try {
                journal.store().purgeFinished(java.time.Instant.now().minus(retention));
            }
            catch (RuntimeException failure) {
                LOG.log(Level.WARNING, "Journal could not delete finished entries", failure);
            }
        }
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "compensation-journal-" + journal.settings().instanceId());
            thread.setDaemon(true);
            return thread;
        });
        journal.settleInBackground(true);
        long interval = journal.settings().pollInterval().toMillis();
        started.scheduleWithFixedDelay(this::runOnce, 0, interval, TimeUnit.MILLISECONDS);
        executor = started;
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService running = executor;
        executor = null;
        if (running != null) {
            running.shutdown();
            try {
                running.awaitTermination(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            journal.settleInBackground(false);
            journal.flushSettlements();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
