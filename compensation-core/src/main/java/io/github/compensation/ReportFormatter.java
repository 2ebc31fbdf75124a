package io.github.compensation;


/**
 * Renders a {@link ScopeReport} as the readable block that logs and the operations endpoint show.
 */
final class ReportFormatter {

    private ReportFormatter() {
    }

    static String render(ScopeReport report) {
        StringBuilder text = new StringBuilder(128);
        text.append("compensation scope ").append(report.id()).append(' ').append(report.name()).append(' ')
                .append(verb(report.outcome())).append(" after ").append(report.duration().toMillis()).append(" ms");
        if (report.cause() != null) {
            text.append(": ").append(brief(report.cause()));
        }
        int width = 0;
        for (CommandReport command : report.commands()) {
            width = Math.max(width, command.description().length());
        }
        for (CommandReport command : report.commands()) {
            text.append('\n').append("  ").append(pad(command.kind().label(), 10))
                    .append(pad(command.description(), width + 3)).append(status(command));
        }
        return text.toString();
    }

    private static String verb(Outcome outcome) {
        return switch (outcome) {
            case COMMITTED -> "committed";
            case ROLLED_BACK -> "rolled back";
            case UNKNOWN -> "ended with an unknown outcome";
            case FAILED_NO_ROLLBACK -> "failed without rollback";
        };
    }

    private static String status(CommandReport command) {
        return switch (command.status()) {
            case DONE -> pad(command.attempts() > 1 ? "done " + attempts(command) : "done", 16)
                    + command.duration().toMillis() + " ms";
            case FAILED -> pad("FAILED " + attempts(command), 16)
                    + (command.error() == null ? "" : brief(command.error()));
            case DISCARDED -> "discarded" + (command.note() == null ? "" : " (" + command.note() + ")");
            case PENDING -> "PENDING" + (command.note() == null ? "" : " (" + command.note() + ")");
        };
    }

    /** Attempts made out of attempts allowed, as in {@code 3/3}. */
    private static String attempts(CommandReport command) {
        return command.attempts() + "/" + Math.max(command.attempts(), command.maxAttempts());
    }

    static String brief(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String pad(String value, int width) {
        if (value.length() >= width) {
            return value + ' ';
        }
        return value + " ".repeat(width - value.length());
    }

}
