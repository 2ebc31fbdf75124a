package io.github.compensation.store;

/**
 * Thrown by a {@link ScopeStore} asked to act on a scope where the action does not apply (clause O3): resolving or
 * discarding a scope that needs nobody, retrying one with nothing to run again. The message says why; nothing was
 * changed. The operations endpoint answers it with {@code 409 Conflict}.
 */
public class RefusedActionException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason why the action does not apply, as a sentence for the person who asked
     */
    public RefusedActionException(String reason) {
        super(reason);
    }
}
