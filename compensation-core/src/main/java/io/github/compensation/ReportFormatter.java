package io.github.compensation;

import org.jspecify.annotations.Nullable;

/**
 * Renders a {@link ScopeReport} as the readable block that logs and the operations endpoint show.
 */
final class ReportFormatter {

    private ReportFormatter() {
    }

    /** What a rolled-back scope without an exception of its own rolled back with (T2). */
    static final String CALLER_ROLLED_BACK = "the caller's transaction rolled back";

    /** Where the continuation lines of a multi-line message start below the scope's header line. */
    private static final String HEADER_CONTINUATION = "    ";

    /**
     * The block: one header line, one line per command, and the further lines of multi-line messages indented below
     * the line they belong to, so that every line of the block starts with the same two spaces except the header.
     */
    static String render(ScopeReport report) {
        StringBuilder text = new StringBuilder(128);
        text.append("compensation scope ").append(report.id()).append(' ').append(oneLine(report.name())).append(' ')
                .append(verb(report.outcome())).append(" after ").append(report.duration().toMillis()).append(" ms");
        String cause = causeSummary(report);
        if (cause != null) {
            text.append(": ").append(indented(cause, HEADER_CONTINUATION));
        }
        int width = 0;
        for (CommandReport command : report.commands()) {
            width = Math.max(width, oneLine(command.description()).length());
        }
        for (CommandReport command : report.commands()) {
            String prefix = "  " + pad(command.kind().label(), 10) + pad(oneLine(command.description()), width + 3);
            text.append('\n').append(prefix).append(indented(status(command), " ".repeat(prefix.length() + 16)));
        }
        return text.toString();
    }

    /** The cause as one short text: the exception, or the caller's transaction when the scope had none of its own. */
    static @Nullable String causeSummary(ScopeReport report) {
        if (report.cause() != null) {
            return brief(report.cause());
        }
        return report.outcome() == Outcome.ROLLED_BACK ? CALLER_ROLLED_BACK : null;
    }

    /** The text with every line after the first starting with {@code indent}; blank lines dropped. */
    private static String indented(String text, String indent) {
        if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        StringBuilder lines = new StringBuilder(text.length() + 32);
        for (String line : text.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            if (!lines.isEmpty()) {
                lines.append('\n').append(indent);
            }
            lines.append(line.stripTrailing());
        }
        return lines.toString();
    }

    private static String oneLine(String text) {
        return text.indexOf('\n') < 0 && text.indexOf('\r') < 0 ? text : text.replaceAll("\\s*\\R\\s*", " ");
    }

    private static String verb(Outcome outcome) {
        return switch (outcome) {
            case COMMITTED -> "committed";
            case ROLLED_BACK -> "rolled back";
            case UNKNOWN -> "ended with an unknown outcome";
            case FAILED_NO_ROLLBACK -> "failed without rollback";
            case CANCELLED -> "was cancelled";
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
