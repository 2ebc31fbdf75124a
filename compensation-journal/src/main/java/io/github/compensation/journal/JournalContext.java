package io.github.compensation.journal;

import io.github.compensation.Command;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;

/**
 * What every part of the journal shares: where it reads and writes, how it reads stored calls back, its settings and
 * its clock. Immutable, thread-safe.
 */
final class JournalContext {

    private static final System.Logger LOG = System.getLogger(JournalContext.class.getName());

    final JournalRepository store;
    final CommandResolver resolver;
    final JournalSettings settings;
    final Clock clock;

    JournalContext(JournalRepository store, CommandResolver resolver, JournalSettings settings, Clock clock) {
        this.store = store;
        this.resolver = resolver;
        this.settings = settings;
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    /** The end of a lease taken now. */
    Instant leaseUntil() {
        return now().plus(settings.lease());
    }

    /**
     * The stored command as something to run.
     *
     * @throws UnreadableCommandException when it was a lambda, or cannot be read back (J6)
     */
    Command commandOf(JournalEntry row) {
        RecordedCall call = row.call();
        if (call == null) {
            throw new UnreadableCommandException("registered as a lambda: it cannot run after a crash");
        }
        return resolver.resolve(call);
    }

    /** Records a command's result, logging instead of failing: the command may then run again (at least once). */
    static void recordQuietly(Runnable record) {
        try {
            record.run();
        }
        catch (RuntimeException failure) {
            LOG.log(Level.WARNING, "Journal could not record a command's result; it may run again (at least once)",
                    failure);
        }
    }

    static String describe(Throwable failure) {
        return failure.getClass().getName() + ": " + failure.getMessage();
    }
}
