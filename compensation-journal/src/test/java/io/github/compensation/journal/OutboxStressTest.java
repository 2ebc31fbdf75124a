package io.github.compensation.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.support.CompensationTemplate;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The outbox under load (J3) and shared by two instances (J4). */
class OutboxStressTest {

    static final int EVENTS = 10_000;

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("PostgreSQL", (Supplier<DataSource>) TestDatabases::postgres),
                Arguments.of("MariaDB", (Supplier<DataSource>) TestDatabases::mariadb));
    }

    /** On PostgreSQL only: the same statements on MariaDB take three times as long (a disk flush per commit). */
    @Test
    void tenThousandDispatchesUnderTenPercentFailuresAreEachDeliveredOrDeadNoneLost_J3() {
        String name = "PostgreSQL";
        try (JournalFixture fixture = new JournalFixture(TestDatabases.postgres())) {
            Remote remote = new Remote();
            fixture.bean("remote", remote);
            Journal journal = fixture.journal("instance-a", java.time.Clock.systemUTC(),
                    settings -> settings.withMaxAttempts(3, 3));
            CompensationTemplate template = fixture.template(journal);
            DurableDispatchCommands dispatch = JournalCommands.dispatch(journal);
            Random random = new Random(20261122L);
            int[] failures = new int[1];
            remote.failing = call -> {
                synchronized (random) {
                    boolean fail = random.nextInt(10) == 0;
                    failures[0] += fail ? 1 : 0;
                    return fail;
                }
            };

            for (int scope = 0; scope < EVENTS / 100; scope++) {
                int first = scope * 100;
                template.execute("Events.publish", () -> fixture.tx.execute(status -> {
                    for (int i = first; i < first + 100; i++) {
                        dispatch.append(Remote.class).publish("e" + i);
                    }
                    return null;
                }));
            }
            int rounds = 0;
            while (journal.dispatchDue() > 0) {
                rounds++;
            }

            Map<String, Integer> rows = fixture.jdbc.queryForList("select status, count(*) as n from "
                    + fixture.prefix + "command group by status").stream().collect(Collectors.toMap(
                    row -> (String) row.get("status"), row -> ((Number) row.get("n")).intValue()));
            List<String> dead = fixture.jdbc.queryForList("select payload from " + fixture.prefix + "command"
                    + " where status = 'DEAD'", String.class);
            int delivered = 0;
            int duplicates = 0;
            int lost = 0;
            for (int i = 0; i < EVENTS; i++) {
                int count = remote.count("publish", "e" + i);
                delivered += count > 0 ? 1 : 0;
                duplicates += Math.max(0, count - 1);
                String payload = "[\"e" + i + "\"]";
                if (count == 0 && !dead.contains(payload)) {
                    lost++;
                }
            }
            System.out.printf("[J3 %s] events=%d delivered=%d dead=%d lost=%d duplicates=%d failed attempts=%d"
                    + " worker rounds=%d rows=%s%n", name, EVENTS, delivered, dead.size(), lost, duplicates,
                    failures[0], rounds, rows);
            assertThat(lost).isZero();
            assertThat(duplicates).isZero();
            assertThat(delivered + dead.size()).isEqualTo(EVENTS);
            assertThat(failures[0]).as("about 10% of first attempts failed").isBetween(EVENTS / 20, EVENTS / 5);
            assertThat(rows.keySet()).containsOnly("DONE", "DEAD");
            assertThat(rows.get("DONE")).isEqualTo(delivered);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void twoInstancesDeliveringTenThousandPendingEntriesRunEachExactlyOnce_J3_J4(String name,
            Supplier<DataSource> database) throws Exception {
        try (JournalFixture fixture = new JournalFixture(database.get())) {
            Remote remote = new Remote();
            fixture.bean("remote", remote);
            Timestamp now = Timestamp.from(Instant.now());
            List<Object[]> rows = new ArrayList<>(EVENTS);
            for (int i = 0; i < EVENTS; i++) {
                rows.add(new Object[] {UUID.randomUUID().toString(), "publish e" + i, Remote.class.getName(),
                        "publish", "java.lang.String", "[\"e" + i + "\"]", now, now, now});
            }
            fixture.jdbc.batchUpdate("insert into " + fixture.prefix + "command (id, kind, seq, description,"
                    + " target_type, method_name, param_types, payload, status, attempts, next_attempt_at,"
                    + " created_at, updated_at) values (?, 'DISPATCH', 0, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)",
                    rows);

            Journal a = fixture.journal("instance-a");
            Journal b = fixture.journal("instance-b");
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                CyclicBarrier bothStarted = new CyclicBarrier(2);
                Future<Integer> byA = threads.submit(() -> drainSideBySide(a, bothStarted));
                Future<Integer> byB = threads.submit(() -> drainSideBySide(b, bothStarted));
                int claimedByA = byA.get(120, TimeUnit.SECONDS);
                int claimedByB = byB.get(120, TimeUnit.SECONDS);

                int once = 0;
                int duplicates = 0;
                int lost = 0;
                for (int i = 0; i < EVENTS; i++) {
                    int count = remote.count("publish", "e" + i);
                    once += count == 1 ? 1 : 0;
                    duplicates += Math.max(0, count - 1);
                    lost += count == 0 ? 1 : 0;
                }
                System.out.printf("[J4 %s] entries=%d claimed by a=%d by b=%d exactly once=%d lost=%d"
                        + " duplicates=%d%n", name, EVENTS, claimedByA, claimedByB, once, lost, duplicates);
                assertThat(once).isEqualTo(EVENTS);
                assertThat(claimedByA + claimedByB).isEqualTo(EVENTS);
                assertThat(claimedByA).as("both instances took part").isPositive();
                assertThat(claimedByB).as("both instances took part").isPositive();
                assertThat(fixture.count("command", "status = 'DONE'")).isEqualTo(EVENTS);
            }
            finally {
                threads.shutdownNow();
            }
        }
    }

    /**
     * Drains the outbox with one instance, alongside another: each instance claims its first batch, then waits for the
     * other to have claimed one too, so that both really work at the same time whatever the scheduler does.
     */
    private static int drainSideBySide(Journal journal, CyclicBarrier bothStarted) throws Exception {
        int claimed = journal.dispatchDue();
        bothStarted.await(60, TimeUnit.SECONDS);
        return claimed + drain(journal);
    }

    private static int drain(Journal journal) {
        int claimed = 0;
        for (int batch = journal.dispatchDue(); batch > 0; batch = journal.dispatchDue()) {
            claimed += batch;
        }
        return claimed;
    }
}
