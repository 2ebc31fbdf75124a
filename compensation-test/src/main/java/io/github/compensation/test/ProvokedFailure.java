package io.github.compensation.test;

/**
 * A failure that a test asked for through {@link CompensationFaults}: thrown by a command made to fail, attached as the
 * cause of a commit made to fail, or recorded for a command that did not run because the instance "crashed". Its
 * message says which fault it is, so that reports and logs show it was provoked.
 */
public class ProvokedFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the failure.
     *
     * @param message what was provoked
     */
    public ProvokedFailure(String message) {
        super(message);
    }
}
