package io.github.compensation;

/**
 * The kind of a registered command.
 */
public enum CommandKind {

    /** An undo step: runs only when the scope rolls back. */
    COMPENSATION,

    /** A cleanup: runs whatever the outcome, in the rollback stack's order. */
    CLEANUP,

    /** A dispatch command: runs only after commit. */
    DISPATCH;

    /** The word shown in rendered reports. */
    String label() {
        return switch (this) {
            case COMPENSATION -> "rollback";
            case CLEANUP -> "cleanup";
            case DISPATCH -> "dispatch";
        };
    }
}
