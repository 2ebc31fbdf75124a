package io.github.compensation.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.support.CompensationTemplate;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the journal adds to the caller's path of a business transaction with one durable compensation and one durable
 * dispatch, in round trips to PostgreSQL, counted from the driver's protocol log: after each {@code Sync} the driver
 * waits for the server, so each one is a round trip (J2, J3; the Cost table of docs/durability.md).
 */
class RoundTripsTest {

    private static final Logger PROTOCOL = Logger.getLogger("org.postgresql.core.v3.QueryExecutorImpl");

    JournalFixture fixture;
    Remote remote;
    Journal journal;
    CompensationTemplate template;
    private final AtomicInteger syncs = new AtomicInteger();
    private final Handler counter = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLongThreadID() == Thread.currentThread().getId()
                    && "FE=> Sync".equals(String.valueOf(record.getMessage()).strip())) {
                syncs.incrementAndGet();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level levelBefore;

    @BeforeEach
    void setUp() {
        fixture = new JournalFixture(TestDatabases.postgres());
        remote = new Remote();
        fixture.bean("remote", remote);
        journal = fixture.journal("round-trips");
        template = fixture.template(journal);
        levelBefore = PROTOCOL.getLevel();
        PROTOCOL.setLevel(Level.FINEST);
        PROTOCOL.setUseParentHandlers(false);
        PROTOCOL.addHandler(counter);
    }

    @AfterEach
    void tearDown() {
        PROTOCOL.removeHandler(counter);
        PROTOCOL.setUseParentHandlers(true);
        PROTOCOL.setLevel(levelBefore);
        journal.settleInBackground(false);
        fixture.close();
    }

    /** The fewest round trips of five runs (a pool may check an idle connection now and then: one more). */
    private int roundTrips(Runnable transaction) {
        int fewest = Integer.MAX_VALUE;
        for (int run = 0; run < 5; run++) {
            syncs.set(0);
            transaction.run();
            fewest = Math.min(fewest, syncs.get());
        }
        return fewest;
    }

    private void plain(String id) {
        fixture.tx.executeWithoutResult(status -> fixture.jdbc.update("insert into " + fixture.prefix
                + "business (id) values (?)", id));
    }

    private void journaled(String id) {
        template.execute("Orders.place", () -> fixture.tx.execute(status -> {
            fixture.jdbc.update("insert into " + fixture.prefix + "business (id) values (?)", id);
            JournalCommands.rollback(journal).append(Remote.class).cancel(id);
            JournalCommands.dispatch(journal).append(Remote.class).publish("placed " + id);
            return null;
        }));
    }

    @Test
    void theJournalAddsTwoRoundTripsToTheCallersPathAndTheWorkerSettlesInOneWrite_J2_J3() {
        AtomicInteger ids = new AtomicInteger();
        journaled("warm-up");
        journal.settleInBackground(true);

        int without = roundTrips(() -> plain("p" + ids.incrementAndGet()));
        int with = roundTrips(() -> journaled("j" + ids.incrementAndGet()));
        syncs.set(0);
        int settled = journal.flushSettlements();
        int settlement = syncs.get();
        System.out.printf("[round trips, PostgreSQL] business transaction alone %d, with the journal %d on the"
                + " caller's thread; the worker settled %d entries in %d round trip(s)%n", without, with, settled,
                settlement);

        assertThat(without).as("one insert and the commit").isEqualTo(2);
        assertThat(with - without).as("the write-ahead, and the marker with the outbox row").isEqualTo(2);
        assertThat(settled).as("five scopes: a delivered dispatch and a unit each").isEqualTo(10);
        assertThat(settlement).isEqualTo(1);
        assertThat(remote.count("publish", "placed j10")).isEqualTo(1);
        assertThat(fixture.count("unit", "state = 'COMMITTED'")).isEqualTo(6);
        assertThat(fixture.count("command", "kind = 'DISPATCH' and status = 'DONE'")).isEqualTo(6);
        assertThat(fixture.count("command", "kind = 'COMPENSATION' and status = 'DISCARDED'")).isEqualTo(6);
    }
}
