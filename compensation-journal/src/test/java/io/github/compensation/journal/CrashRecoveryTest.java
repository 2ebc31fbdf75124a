package io.github.compensation.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Crashes for real (J2, J3, J4): a child JVM runs a scope against the database and is killed with SIGKILL at a chosen
 * moment; another instance (this JVM) recovers. Each test prints and asserts: compensations lost = 0, dispatches
 * lost = 0, committed scopes compensated = 0, and the duplicates that at-least-once delivery allowed. Subclasses
 * choose the database.
 */
abstract class CrashRecoveryTest {

    /** @return the data source of this JVM */
    abstract javax.sql.DataSource dataSource();

    /** @return JDBC URL, user and password for the child JVM */
    abstract List<String> childConnection();

    JournalFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new JournalFixture(dataSource());
        fixture.jdbc.execute(DbRemote.createTable(fixture.prefix));
        fixture.bean("remote", new DbRemote(fixture.dataSource, fixture.prefix));
    }

    @AfterEach
    void tearDown() {
        fixture.jdbc.execute("drop table if exists " + fixture.prefix + "effect");
        fixture.close();
    }

    @Test
    void killedAfterASideEffectBeforeCommitIsCompensatedAndNotDispatchedByAnotherInstance_J2_J3() throws Exception {
        crash("before-commit");

        recoverAll(Duration.ofHours(2));

        Tally tally = tally("killed before commit");
        assertThat(tally.calls("reserve s1")).isEqualTo(1);
        assertThat(tally.calls("cancel s1")).isEqualTo(1);
        assertThat(tally.calls("publish booked s1")).isZero();
        tally.assertNothingLost();
    }

    @Test
    void killedAfterCommitBeforeDispatchIsDeliveredAndNeverCompensated_J2_J3() throws Exception {
        crash("after-commit");

        recoverAll(Duration.ofHours(2));

        Tally tally = tally("killed after commit");
        assertThat(tally.committed).containsExactly("s2");
        assertThat(tally.calls("publish booked s2")).isEqualTo(1);
        assertThat(tally.calls("cancel s2")).isZero();
        tally.assertNothingLost();
    }

    @Test
    void killedAfterDeliveryBeforeTheSettlementBatchWasWrittenIsClosedAsCommittedAndRedeliveredWithTheSameKey_J2_J3()
            throws Exception {
        crash("before-settlement");
        assertThat(fixture.count("unit", "state = 'OPEN'")).as("settlement never written").isEqualTo(1);

        recoverAll(Duration.ofHours(2));

        Tally tally = tally("killed before the settlement batch");
        assertThat(tally.committed).containsExactly("s3");
        assertThat(tally.calls("cancel s3")).isZero();
        assertThat(tally.calls("publish booked s3")).as("delivered before the kill, and again after its claim expired")
                .isEqualTo(2);
        assertThat(tally.sameKeyForRepeats()).isTrue();
        assertThat(fixture.count("unit", "state = 'COMMITTED'")).isEqualTo(1);
        tally.assertNothingLost();
    }

    @Test
    void killedInTheMiddleOfCompensatingIsFinishedByAnotherInstance_J2_J4() throws Exception {
        crash("mid-compensation");

        recoverAll(Duration.ofHours(2));

        Tally tally = tally("killed while compensating");
        assertThat(tally.calls("cancel m1")).isEqualTo(1);
        assertThat(tally.calls("cancel m2")).as("ran before the kill and again in recovery (at least once)")
                .isEqualTo(2);
        assertThat(tally.sameKeyForRepeats()).isTrue();
        tally.assertNothingLost();
    }

    @Test
    void killedDuringRecoveryIsRecoveredByAThirdInstance_J2_J4() throws Exception {
        crash("before-commit");
        crash("recovery");

        recoverAll(Duration.ofHours(4));

        Tally tally = tally("killed during recovery");
        assertThat(tally.calls("cancel s1")).as("ran in the killed recovery and again").isEqualTo(2);
        assertThat(tally.sameKeyForRepeats()).isTrue();
        tally.assertNothingLost();
    }

    @Test
    void killedWhileAGroupOfWriteAheadsIsWrittenKeepsEveryReturnedAppendAndHalfWritesNothing_J2() throws Exception {
        String output = crash("group-commit");

        List<String> appended = output.lines().filter(line -> line.startsWith("APPENDED "))
                .map(line -> line.substring("APPENDED ".length())).toList();
        assertThat(appended).hasSizeGreaterThanOrEqualTo(200);
        List<String> missing = appended.stream().filter(id -> fixture.count("command", "kind = 'COMPENSATION'"
                + " and payload = ?", "[\"" + id + "\"]") != 1).toList();
        int orphanCommands = fixture.count("command", "kind = 'COMPENSATION' and not exists (select 1 from "
                + fixture.prefix + "unit u where u.id = " + fixture.prefix + "command.unit_id)");
        int emptyUnits = fixture.count("unit", "not exists (select 1 from " + fixture.prefix + "command c"
                + " where c.unit_id = " + fixture.prefix + "unit.id)");
        System.out.printf("[killed while writing a group, %s] appends returned = %d, journaled = %d, missing = %d,"
                + " commands without unit = %d, units without command = %d%n", fixture.dialect, appended.size(),
                fixture.count("command", "kind = 'COMPENSATION'"), missing.size(), orphanCommands, emptyUnits);
        assertThat(missing).as("returned appends not in the database").isEmpty();
        assertThat(orphanCommands).as("compensations written without their unit").isZero();
        assertThat(emptyUnits).as("units written without their first compensation").isZero();
    }

    /**
     * Starts the scenario in a child JVM, waits for its crash point, and kills it with SIGKILL.
     *
     * @return what the child printed until it died
     */
    private String crash(String scenario) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
                System.getProperty("java.class.path"), CrashScenarioMain.class.getName()));
        command.addAll(childConnection());
        command.addAll(List.of(fixture.prefix, scenario));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Process child = builder.start();
        StringBuffer output = new StringBuffer();
        CompletableFuture<String> point = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.append(line).append('\n');
                    if (line.startsWith("POINT ")) {
                        point.complete(line);
                    }
                }
                point.completeExceptionally(new AssertionError("child ended without reaching its crash point:\n"
                        + output));
            }
            catch (java.io.IOException ignored) {
                point.completeExceptionally(new AssertionError("lost the child's output:\n" + output));
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            System.out.println("[crash " + scenario + "] child reached " + point.get(60, TimeUnit.SECONDS)
                    + "; killing it with SIGKILL");
        }
        finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        reader.join(30_000);
        return output.toString();
    }

    /** Another instance whose clock is past every lease recovers units and delivers the outbox until nothing is left. */
    private void recoverAll(Duration ahead) {
        Journal survivor = fixture.journal("survivor", Clock.offset(Clock.systemUTC(), ahead),
                UnaryOperator.identity());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            survivor.recoverDue();
            survivor.dispatchDue();
            return fixture.count("unit", "state in ('OPEN', 'ABORTED')") == 0
                    && fixture.count("command", "status in ('PENDING', 'RUNNING')") == 0;
        });
    }

    private Tally tally(String title) {
        Map<String, Integer> calls = new HashMap<>();
        Map<String, List<String>> keys = new HashMap<>();
        fixture.jdbc.query("select what, idem from " + fixture.prefix + "effect", row -> {
            calls.merge(row.getString(1), 1, Integer::sum);
            keys.computeIfAbsent(row.getString(1), c -> new ArrayList<>()).add(row.getString(2));
        });
        List<String> committed = fixture.jdbc.queryForList("select id from " + fixture.prefix + "business",
                String.class);
        Tally tally = new Tally(calls, keys, committed);
        System.out.printf("[%s, %s] compensations lost = %d, dispatches lost = %d, committed scopes compensated = %d,"
                + " duplicates = %d, effects = %s%n", title, fixture.dialect, tally.compensationsLost(), tally.dispatchesLost(),
                tally.committedCompensated(), tally.duplicates(), calls);
        return tally;
    }

    record Tally(Map<String, Integer> effects, Map<String, List<String>> keys, List<String> committed) {

        int calls(String call) {
            return effects.getOrDefault(call, 0);
        }

        List<String> reserved() {
            return effects.keySet().stream().filter(call -> call.startsWith("reserve "))
                    .map(call -> call.substring("reserve ".length())).toList();
        }

        int compensationsLost() {
            return (int) reserved().stream().filter(id -> !committed.contains(id))
                    .filter(id -> calls("cancel " + id) == 0).count();
        }

        int dispatchesLost() {
            return (int) committed.stream().filter(id -> calls("publish booked " + id) == 0).count();
        }

        int committedCompensated() {
            return (int) committed.stream().filter(id -> calls("cancel " + id) > 0).count();
        }

        int duplicates() {
            return effects.entrySet().stream().filter(entry -> !entry.getKey().startsWith("reserve "))
                    .mapToInt(entry -> Math.max(0, entry.getValue() - 1)).sum();
        }

        boolean sameKeyForRepeats() {
            return keys.values().stream().allMatch(list -> list.stream().distinct().count() == 1);
        }

        void assertNothingLost() {
            assertThat(compensationsLost()).as("compensations lost").isZero();
            assertThat(dispatchesLost()).as("dispatches lost").isZero();
            assertThat(committedCompensated()).as("committed scopes compensated").isZero();
        }
    }
}
