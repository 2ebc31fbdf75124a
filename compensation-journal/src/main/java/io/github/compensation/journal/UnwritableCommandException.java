package io.github.compensation.journal;

import org.jspecify.annotations.Nullable;

/**
 * A durable command cannot be journaled: an argument cannot be written as JSON with its declared type, or could not be
 * read back, or the target cannot be found. Thrown in the caller, at registration, before anything is written
 * (clause J6).
 */
public class UnwritableCommandException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what cannot be written and what to change
     * @param cause   the underlying failure, or {@code null}
     */
    public UnwritableCommandException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
