package io.github.compensation.journal;

/**
 * A journaled command cannot be read back: its class, bean, method or handler is gone, or its row is corrupt. Such a
 * command is parked with this message as the reason and never retried by itself (clause J6).
 */
public class UnreadableCommandException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the reason, shown to operators
     * @param cause   the underlying failure, or {@code null}
     */
    public UnreadableCommandException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param message the reason, shown to operators
     */
    public UnreadableCommandException(String message) {
        super(message);
    }
}
