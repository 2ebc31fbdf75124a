package io.github.compensation.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.github.compensation.support.CompensationTemplate;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The database goes away while the journal writes (J2, J3): registration fails fast in the caller and the method
 * fails, nothing is half-written, and once the database is back recovery finishes what was left.
 */
class DatabaseOutageTest {

    static final HikariDataSource H2 = TestDatabases.h2();

    /** Refuses new connections while {@link #down}; connections already handed out keep working. */
    static final class Outage extends DelegatingDataSource {
        volatile boolean down;

        Outage() {
            super(H2);
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (down) {
                throw new SQLTransientConnectionException("database is down (simulated outage)");
            }
            return super.getConnection();
        }
    }

    @AfterAll
    static void closeDatabase() {
        H2.close();
    }

    Outage outage;
    JournalFixture fixture;
    Remote remote;
    Journal journal;
    CompensationTemplate template;
    DurableRollbackCommands rollback;
    DurableDispatchCommands dispatch;

    @BeforeEach
    void setUp() {
        outage = new Outage();
        fixture = new JournalFixture(outage);
        remote = new Remote();
        fixture.bean("remote", remote);
        journal = fixture.journal("instance-a");
        template = fixture.template(journal);
        rollback = JournalCommands.rollback(journal);
        dispatch = JournalCommands.dispatch(journal);
    }

    @AfterEach
    void tearDown() {
        outage.down = false;
        fixture.close();
    }

    @Test
    void outageDuringTheWriteAheadFailsTheRegistrationAndTheMethodAndWritesNothing_J2() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> template.execute("Trips.book", () -> fixture.tx.execute(status -> {
            fixture.jdbc.update("insert into " + fixture.prefix + "business (id) values ('o1')");
            remote.reserve("o1");
            outage.down = true;
            rollback.append(Remote.class).cancel("o1");
            remote.reserve("never reached");
            return null;
        })))
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("The journal cannot reach its database");
        long millis = (System.nanoTime() - start) / 1_000_000;
        outage.down = false;

        assertThat(millis).as("fails fast").isLessThan(5_000);
        assertThat(remote.count("reserve", "never reached")).isZero();
        assertThat(remote.count("cancel", "o1")).as("compensated from memory").isEqualTo(1);
        assertThat(fixture.count("unit", "")).as("nothing half-written").isZero();
        assertThat(fixture.count("command", "")).isZero();
        assertThat(fixture.count("marker", "")).isZero();
        assertThat(fixture.count("business", "")).isZero();
    }

    @Test
    void outageWhileSettlingLeavesTheUnitToRecoveryWhichFinishesOnceTheDatabaseIsBack_J2() {
        assertThatThrownBy(() -> template.execute("Trips.book", () -> fixture.tx.execute(status -> {
            remote.reserve("o2");
            rollback.append(Remote.class).cancel("o2");
            outage.down = true;
            throw new IllegalStateException("payment declined");
        }))).hasMessage("payment declined");
        assertThat(remote.count("cancel", "o2")).as("compensated from memory during the outage").isEqualTo(1);

        outage.down = false;
        assertThat(fixture.count("unit", "state = 'OPEN'")).as("its end could not be recorded").isEqualTo(1);
        assertThat(fixture.recoverer("instance-b").recoverDue()).isEqualTo(1);

        assertThat(fixture.count("unit", "state = 'COMPENSATED'")).isEqualTo(1);
        assertThat(remote.count("cancel", "o2")).as("at least once: repeated, with the same idempotency key")
                .isEqualTo(2);
        assertThat(remote.keys.stream().distinct()).hasSize(1);
    }

    @Test
    void markerThatCannotBeWrittenFailsTheRegistrationAndTheJournaledCompensationRunsOnce_J2() {
        fixture.jdbc.execute("alter table " + fixture.prefix + "marker rename to " + fixture.prefix + "marker_away");
        try {
            assertThatThrownBy(() -> template.execute("Trips.book", () -> fixture.tx.execute(status -> {
                remote.reserve("o4");
                rollback.append(Remote.class).cancel("o4");
                return null;
            }))).isInstanceOf(DataAccessException.class).hasMessageContaining("marker");
        }
        finally {
            fixture.jdbc.execute("alter table " + fixture.prefix + "marker_away rename to " + fixture.prefix
                    + "marker");
        }
        assertThat(remote.count("cancel", "o4")).isEqualTo(1);
        assertThat(fixture.count("command", "status = 'DONE'")).isEqualTo(1);
        assertThat(fixture.count("unit", "state = 'COMPENSATED'")).isEqualTo(1);
        assertThat(fixture.recoverer("instance-b").recoverDue()).isZero();
        assertThat(remote.count("cancel", "o4")).isEqualTo(1);
    }

    @Test
    void outageRightAfterCommitStillDeliversTheClaimedDispatchAndTheWorkerRepeatsItWithTheSameKey_J3_J4() {
        template.execute("Trips.book", () -> fixture.tx.execute(status -> {
            dispatch.append(Remote.class).publish("o3");
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            outage.down = true;
                        }
                    });
            return null;
        }));
        assertThat(remote.count("publish", "o3")).as("the row was claimed by this instance as it was written")
                .isEqualTo(1);

        outage.down = false;
        assertThat(fixture.count("command", "status = 'RUNNING'")).as("its completion could not be recorded")
                .isEqualTo(1);
        assertThat(journal.dispatchDue()).as("still claimed by this instance").isZero();
        assertThat(fixture.recoverer("instance-b").dispatchDue()).as("taken over once the claim expired")
                .isEqualTo(1);
        assertThat(remote.count("publish", "o3")).as("at least once").isEqualTo(2);
        assertThat(remote.keys).as("the same idempotency key both times").hasSize(2)
                .containsOnly(remote.keys.get(0));
        assertThat(fixture.count("command", "status = 'DONE'")).isEqualTo(1);
    }
}
