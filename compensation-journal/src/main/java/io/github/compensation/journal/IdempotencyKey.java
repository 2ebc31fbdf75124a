package io.github.compensation.journal;

import org.jspecify.annotations.Nullable;

/**
 * The stable idempotency key of the durable command running on the current thread (clause J4). Delivery is at least
 * once: after a crash or a lost acknowledgement a command may run again, always with the same key, so a command that
 * passes the key to the remote side (an {@code Idempotency-Key} header, a unique request id) makes the repeat
 * harmless.
 */
public final class IdempotencyKey {

    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private IdempotencyKey() {
    }

    /**
     * The key of the durable command running on this thread.
     *
     * @return the key, or {@code null} outside a durable command
     */
    public static @Nullable String current() {
        return CURRENT.get();
    }

    /**
     * The key of the durable command running on this thread.
     *
     * @return the key
     * @throws IllegalStateException outside a durable command
     */
    public static String require() {
        String key = CURRENT.get();
        if (key == null) {
            throw new IllegalStateException("No durable command is running on thread '"
                    + Thread.currentThread().getName() + "': IdempotencyKey is only set while a command registered"
                    + " with DurableRollbackCommands or DurableDispatchCommands runs");
        }
        return key;
    }

    /** Starts a command whose work completes later, with the key set while it starts. */
    static java.util.concurrent.CompletionStage<?> start(String key, StartableCommand command) throws Exception {
        String previous = CURRENT.get();
        CURRENT.set(key);
        try {
            return command.start();
        }
        finally {
            if (previous == null) {
                CURRENT.remove();
            }
            else {
                CURRENT.set(previous);
            }
        }
    }

    static void run(String key, io.github.compensation.Command command) throws Exception {
        String previous = CURRENT.get();
        CURRENT.set(key);
        try {
            command.run();
        }
        finally {
            if (previous == null) {
                CURRENT.remove();
            }
            else {
                CURRENT.set(previous);
            }
        }
    }
}
