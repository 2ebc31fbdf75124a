package io.github.compensation.spring.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import java.net.ConnectException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the log shows of a scope whose undo step failed (clause H1): one readable block, at ERROR, with no separate
 * line and no stack trace before it; multi-line messages stay inside the block, indented, so that its header is one
 * line; and a scope undone because its caller's transaction rolled back names that cause.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(properties = "spring.datasource.url=jdbc:h2:mem:log-block;DB_CLOSE_DELAY=-1")
class ScopeLogBlockTest {

    @SpringBootApplication
    @Import(Trips.class)
    static class App {
    }

    @Service
    static class Trips {

        final RollbackCommands rollback;

        Trips(RollbackCommands rollback) {
            this.rollback = rollback;
        }

        @RollbackOnceFailed
        public void book(String trip) {
            rollback.append("cancel hotel " + trip, () -> { });
            rollback.append("cancel flight " + trip, () -> {
                throw new ConnectException("flights:443 refused\nretry after 10:00");
            });
            throw new IllegalStateException("card declined\nby the issuing bank");
        }

        @RollbackOnceFailed
        public void reserve(String trip) {
            rollback.append("release seat " + trip, () -> { });
        }
    }

    @Autowired
    Trips trips;

    @Autowired
    TransactionTemplate transactions;

    /** The block's lines: the header line that mentions the text, and the lines after it that start with a space. */
    private static List<String> block(CapturedOutput output, String headerText) {
        List<String> lines = Arrays.asList(output.getOut().split("\\R"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("compensation scope ") && lines.get(i).contains(headerText)) {
                int end = i + 1;
                while (end < lines.size() && lines.get(end).startsWith(" ")) {
                    end++;
                }
                return lines.subList(i, end);
            }
        }
        throw new AssertionError("no block for " + headerText + " in:\n" + output.getOut());
    }

    @Test
    void h1FailedUndoLogsOneBlockWithoutStackTraceAndKeepsMultiLineMessagesInside(CapturedOutput output) {
        assertThatThrownBy(() -> trips.book("T-1")).hasMessageStartingWith("card declined");

        List<String> block = block(output, "Trips.book");
        assertThat(block.get(0)).contains(" ERROR ").matches(".*compensation scope [0-9a-f-]{36} "
                + "Trips.book rolled back after \\d+ ms: IllegalStateException: card declined$");
        assertThat(block.subList(1, block.size())).containsExactly(
                "    by the issuing bank",
                "  rollback  cancel flight T-1   FAILED 1/1      ConnectException: flights:443 refused",
                "                                                retry after 10:00",
                block.get(4));
        assertThat(block.get(4)).matches("  rollback  cancel hotel T-1    done            \\d+ ms");

        String all = output.getOut() + output.getErr();
        assertThat(all.lines().filter(line -> line.contains(" ERROR ") || line.contains("io.github.compensation"))).as(all)
                .containsExactly(block.get(0));
        assertThat(all).as("no stack trace at the default level").doesNotContain("\tat ", "Caused by");
    }

    @Test
    void h1ScopeUndoneBecauseTheCallersTransactionRolledBackNamesThatCause(CapturedOutput output) {
        transactions.executeWithoutResult(status -> {
            trips.reserve("T-2");
            status.setRollbackOnly();
        });

        List<String> block = block(output, "Trips.reserve");
        assertThat(block.get(0)).contains(" WARN ")
                .endsWith("rolled back after " + block.get(0).replaceAll(".* after (\\d+) ms.*", "$1")
                        + " ms: the caller's transaction rolled back");
        assertThat(block.get(1)).matches("  rollback  release seat T-2   done            \\d+ ms");
    }
}
