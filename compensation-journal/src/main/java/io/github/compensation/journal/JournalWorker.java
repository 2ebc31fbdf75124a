package io.github.compensation.journal;

import java.lang.System.Logger.Level;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the journal in the background: at every poll, and between polls when many are waiting, it writes what committed
 * scopes left to settle (their deliveries done, their units closed: one write for all), renews this instance's leases, delivers due dispatches until
 * none are left, recovers scopes whose lease expired, and once a minute deletes finished entries older than the
 * retention (J2–J4). One daemon thread per instance, plus as many more delivery threads as asked for
 * ({@code compensation.journal.dispatch.workers}, counting the first): each claims batches of its own; several instances
 * share the work through row claims the same way. An instance configured not to deliver and recover still renews the
 * leases of its own running scopes.
 */
public class JournalWorker implements SmartLifecycle {

    private static final System.Logger LOG = System.getLogger(JournalWorker.class.getName());

    private final Journal journal;
    private final java.time.Duration retention;
    private final boolean deliverAndRecover;
    private final int dispatchWorkers;
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
        this(journal, retention, deliverAndRecover, 1);
    }

    /**
     * @param journal           the journal to run
     * @param retention         how long finished entries are kept before they are deleted
     * @param deliverAndRecover {@code false} for an instance that only renews the leases of its own running scopes
     *                          and leaves delivery, recovery and purging to other instances
     * @param dispatchWorkers   threads that deliver due dispatches, at least 1: the worker's own thread and
     *                          {@code dispatchWorkers - 1} more that only deliver
     */
    public JournalWorker(Journal journal, java.time.Duration retention, boolean deliverAndRecover,
            int dispatchWorkers) {
        if (dispatchWorkers < 1) {
            throw new IllegalArgumentException("compensation.journal.dispatch.workers must be at least 1, not "
                    + dispatchWorkers);
        }
        this.journal = journal;
        this.retention = retention;
        this.deliverAndRecover = deliverAndRecover;
        this.dispatchWorkers = dispatchWorkers;
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
        deliverDue();
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

    /**
     * Delivers due dispatches batch after batch while there are any, for at most one poll interval, so that the
     * next message of a key goes out as soon as the one before it is done (M2) without holding up lease renewal.
     */
    private void deliverDue() {
        long until = System.nanoTime() + journal.settings().pollInterval().toNanos();
        try {
            while (journal.dispatchDue() > 0 && System.nanoTime() < until) {
                // something was due: more may be
            }
        }
        catch (RuntimeException failure) {
            LOG.log(Level.WARNING, "Journal could not deliver due dispatches", failure);
        }
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        int threads = deliverAndRecover ? dispatchWorkers : 1;
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        ScheduledExecutorService started = Executors.newScheduledThreadPool(threads, task -> {
            int number = count.getAndIncrement();
            Thread thread = new Thread(task, "compensation-journal-" + journal.settings().instanceId()
                    + (number == 0 ? "" : "-dispatch-" + number));
            thread.setDaemon(true);
            return thread;
        });
        journal.settleInBackground(started);
        long interval = journal.settings().pollInterval().toMillis();
        started.scheduleWithFixedDelay(this::runOnce, 0, interval, TimeUnit.MILLISECONDS);
        for (int more = 1; more < threads; more++) {
            started.scheduleWithFixedDelay(this::deliverDue, interval * more / threads, interval,
                    TimeUnit.MILLISECONDS);
        }
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
