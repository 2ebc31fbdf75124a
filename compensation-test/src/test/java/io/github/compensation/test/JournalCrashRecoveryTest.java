package io.github.compensation.test;

import static io.github.compensation.test.CompensationAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.test.app.DurableTrips;
import io.github.compensation.test.app.DurableTripsApplication;
import io.github.compensation.test.app.Partners;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * "The instance died right after commit", then recovery run now, with the journal on H2 (clauses X1, J2, J3): the
 * committed booking is never compensated and its event, lost in memory, is delivered from the outbox.
 */
@SpringBootTest(classes = DurableTripsApplication.class, properties = {
        "compensation.journal.enabled=true",
        "compensation.journal.initialize-schema=true",
        "compensation.journal.worker=false"})
@AutoConfigureCompensations
class JournalCrashRecoveryTest {

    @Autowired
    DurableTrips trips;

    @Autowired
    Partners partners;

    @Autowired
    RecordedScopes scopes;

    @Autowired
    CompensationFaults faults;

    @Autowired
    JournalRecovery recovery;

    @Autowired
    JdbcTemplate jdbc;

    private final String ref = "T-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void crashRightAfterCommit_thenRecovery_deliversTheEventOnce_andCompensatesNothing_X1_J2_J3() {
        faults.crashAfterNextCommit();

        trips.book(ref);

        assertThat(partners.callsAbout(ref)).as("nothing ran after the commit").containsExactly("reserve flight " + ref);
        assertThat(scopes).single().committed().crashedAfterCommit();
        assertThat(jdbc.queryForObject("select count(*) from trips where ref = ?", Integer.class, ref)).isOne();

        JournalRecovery.Result result = recovery.recoverNow();

        assertThat(result).isEqualTo(new JournalRecovery.Result(1, 1));
        assertThat(partners.callsAbout(ref)).containsExactly("reserve flight " + ref, "publish trip booked " + ref);
        assertThat(recovery.recoverNow()).isEqualTo(new JournalRecovery.Result(0, 0));
    }

    @Test
    void withoutACrash_theScopeSettlesItself_andRecoveryFindsNothingToDo_X1_J3() {
        trips.book(ref);

        assertThat(scopes).single().committed();
        assertThat(partners.callsAbout(ref)).containsExactly("reserve flight " + ref, "publish trip booked " + ref);
        assertThat(recovery.recoverNow()).isEqualTo(new JournalRecovery.Result(0, 0));
    }
}
