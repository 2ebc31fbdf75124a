package io.github.compensation.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.CommandHandle;
import io.github.compensation.RollbackHandle;
import io.github.compensation.support.CompensationTemplate;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The handles of the durable holders on embedded PostgreSQL: a withdrawn durable compensation is marked in the journal
 * and never run, by the scope nor by recovery after a crash (R11, J2); a withdrawn durable dispatch loses its outbox
 * row in the transaction that wrote it (D6, J3).
 */
class DurableHandleTest {

    private JournalFixture fixture;
    private Remote remote;
    private Journal journal;
    private DurableRollbackCommands rollback;
    private DurableDispatchCommands dispatch;

    @BeforeEach
    void setUp() {
        fixture = new JournalFixture(TestDatabases.postgres());
        remote = new Remote();
        fixture.bean("remote", remote);
        fixture.handlers.register("publish", String.class, remote::publish);
        journal = fixture.journal("instance-a");
        rollback = JournalCommands.rollback(journal);
        dispatch = JournalCommands.dispatch(journal);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    /** Reserves a flight and a hotel, registers how to cancel both, withdraws the hotel's, then fails. */
    private void bookWithdrawingTheHotel(CompensationTemplate scopes) {
        assertThatThrownBy(() -> scopes.execute("Trips.book", () -> fixture.tx.execute(status -> {
            fixture.jdbc.update("insert into " + fixture.prefix + "business (id) values (?)", "w1");
            remote.reserve("flight w1");
            rollback.append(Remote.class).cancel("flight w1");
            remote.reserve("hotel w1");
            RollbackHandle hotel = rollback.append(Remote.class, remote -> remote.cancel("hotel w1"));
            hotel.withdraw("the hotel keeps the booking");
            throw new IllegalStateException("payment declined");
        }))).hasMessage("payment declined");
    }

    @Test
    void r11_j2_aWithdrawnDurableCompensationIsNeverRunByRecoveryAfterACrashBeforeCommit() {
        bookWithdrawingTheHotel(JournalFixture.crashingTemplate());
        assertThat(remote.count("cancel", "flight w1")).as("the crashed instance ran nothing").isZero();

        Journal other = fixture.recoverer("instance-b");
        assertThat(other.recoverDue()).isEqualTo(1);

        assertThat(remote.count("cancel", "flight w1")).isEqualTo(1);
        assertThat(remote.count("cancel", "hotel w1")).isZero();
        assertThat(fixture.count("command", "kind = 'COMPENSATION' and status = 'DISCARDED'"
                + " and last_error = 'withdrawn: the hotel keeps the booking'")).isEqualTo(1);
        assertThat(fixture.count("unit", "state = 'COMPENSATED'")).as("nothing left for a person").isEqualTo(1);
        assertThat(other.recoverDue()).isZero();
    }

    @Test
    void r11_j2_aWithdrawnDurableCompensationDoesNotRunWhenItsScopeFailsAndStaysMarkedInTheJournal() {
        bookWithdrawingTheHotel(fixture.template(journal));

        assertThat(remote.count("cancel", "flight w1")).isEqualTo(1);
        assertThat(remote.count("cancel", "hotel w1")).isZero();
        assertThat(fixture.count("command", "status = 'DISCARDED' and last_error like 'withdrawn:%'")).isEqualTo(1);
        assertThat(fixture.count("unit", "state = 'COMPENSATED'")).isEqualTo(1);
        assertThat(fixture.recoverer("instance-b").recoverDue()).isZero();
    }

    @Test
    void d6_j3_aDurableDispatchWithdrawnInItsTransactionLosesItsOutboxRowAndIsNeverDelivered() {
        fixture.template(journal).execute("Trips.book", () -> fixture.tx.execute(status -> {
            dispatch.append(Remote.class).publish("invoice w2");
            CommandHandle booked = dispatch.appendHandler("publish", "booked w2");
            booked.withdraw("trip is only provisional");
            return null;
        }));

        assertThat(remote.count("publish", "invoice w2")).isEqualTo(1);
        assertThat(remote.count("publish", "booked w2")).isZero();
        assertThat(fixture.count("command", "kind = 'DISPATCH'")).as("only the invoice's row").isEqualTo(1);
        assertThat(fixture.recoverer("instance-b").dispatchDue()).isZero();
        assertThat(remote.count("publish", "booked w2")).isZero();
    }

    @Test
    void d6_j3_discardAllInTheTransactionDeletesEveryOutboxRowQueuedSoFarAndLaterOnesAreDelivered() {
        fixture.template(journal).execute("Trips.book", () -> fixture.tx.execute(status -> {
            dispatch.append(Remote.class).publish("booked w4");
            dispatch.appendHandler("publish", "invoice w4");
            dispatch.discardAll();
            dispatch.appendHandler("publish", "provisional w4");
            return null;
        }));

        assertThat(remote.count("publish", "booked w4")).isZero();
        assertThat(remote.count("publish", "invoice w4")).isZero();
        assertThat(remote.count("publish", "provisional w4")).isEqualTo(1);
        assertThat(fixture.count("command", "kind = 'DISPATCH'")).isEqualTo(1);
        assertThat(fixture.recoverer("instance-b").dispatchDue()).isZero();
    }

    @Test
    void d6_j3_withdrawingADurableDispatchOutsideTheTransactionThatWroteItIsRefusedAndItIsDelivered() {
        AtomicReference<Throwable> refusal = new AtomicReference<>();
        fixture.template(journal).execute("Trips.book", () -> {
            CommandHandle booked = fixture.tx.execute(status -> dispatch.appendHandler("publish", "booked w3"));
            try {
                booked.withdraw();
            }
            catch (IllegalStateException refused) {
                refusal.set(refused);
            }
            return null;
        });

        assertThat(refusal.get()).hasMessageContaining("written in another transaction than the current one");
        assertThat(remote.count("publish", "booked w3")).isEqualTo(1);
    }
}
