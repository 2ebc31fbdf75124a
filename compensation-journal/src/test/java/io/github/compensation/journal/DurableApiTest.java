package io.github.compensation.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.ScopeReport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The durable holders' API (J1) on H2: interfaces, named beans, misuse, and what reports show. */
class DurableApiTest {

    static final HikariDataSource DATA_SOURCE = TestDatabases.h2();

    public interface Payments {
        void refund(String payment, long cents);
    }

    public static class RecordingPayments implements Payments {
        final List<String> refunds = new CopyOnWriteArrayList<>();

        @Override
        public void refund(String payment, long cents) {
            refunds.add(payment + ":" + cents + ":" + IdempotencyKey.require());
        }
    }

    @AfterAll
    static void closeDatabase() {
        DATA_SOURCE.close();
    }

    JournalFixture fixture;
    RecordingPayments payments;
    Remote eu;
    Remote us;
    Journal journal;
    List<ScopeReport> reports;
    CompensationTemplate template;
    DurableRollbackCommands rollback;

    @BeforeEach
    void setUp() {
        fixture = new JournalFixture(DATA_SOURCE);
        payments = new RecordingPayments();
        eu = new Remote();
        us = new Remote();
        fixture.bean("payments", payments);
        fixture.bean("remoteEu", eu);
        fixture.bean("remoteUs", us);
        journal = fixture.journal("instance-a");
        reports = new CopyOnWriteArrayList<>();
        template = CompensationTemplate.builder()
                .transactionBridge(new io.github.compensation.spring.transaction.SpringTransactionBridge())
                .listeners(List.<io.github.compensation.spi.ScopeListener>of(journal, reports::add)).build();
        rollback = JournalCommands.rollback(journal);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void callOnAnInterfaceIsRecordedAndRunsOnTheBeanImplementingIt_J1() {
        assertThatThrownBy(() -> template.execute("Orders.pay", () -> fixture.tx.execute(status -> {
            rollback.append(Payments.class).refund("p-1", 1250L);
            throw new IllegalStateException("stock gone");
        }))).hasMessage("stock gone");

        String id = fixture.jdbc.queryForObject("select id from " + fixture.prefix + "command", String.class);
        assertThat(payments.refunds).containsExactly("p-1:1250:" + id);
        assertThat(fixture.jdbc.queryForObject("select target_type || ' ' || method_name || ' ' || param_types || ' '"
                + " || payload from " + fixture.prefix + "command", String.class))
                .isEqualTo(Payments.class.getName() + " refund java.lang.String,long [\"p-1\",1250]");
        assertThat(reports).singleElement().satisfies(report -> assertThat(report.render())
                .contains("Payments.refund").contains("done"));
    }

    @Test
    void callOnANamedBeanIsRecordedWithTheNameAndRecoveredOnThatBean_J1() {
        assertThatThrownBy(() -> JournalFixture.crashingTemplate().execute("Trips.book",
                () -> fixture.tx.execute(status -> {
                    rollback.append("remoteUs", Remote.class).cancel("n-1");
                    throw new IllegalStateException("declined");
                }))).hasMessage("declined");
        assertThat(fixture.jdbc.queryForObject("select bean_name from " + fixture.prefix + "command", String.class))
                .isEqualTo("remoteUs");

        fixture.recoverer("instance-b").recoverDue();

        assertThat(us.count("cancel", "n-1")).isEqualTo(1);
        assertThat(eu.count("cancel", "n-1")).isZero();
    }

    @Test
    void ambiguousBeanTypeFailsAtRegistrationAskingForAName_J1_J6() {
        assertThatThrownBy(() -> template.execute("Trips.book", () -> {
            rollback.append(Remote.class).cancel("x");
            return null;
        })).isInstanceOf(UnwritableCommandException.class).hasMessageContaining("remoteEu")
                .hasMessageContaining("remoteUs");
    }

    @Test
    void durableRegistrationOutsideAScopeNamesTheAnnotationAndWritesNothing_E1_J1() {
        assertThatThrownBy(() -> rollback.append(Payments.class).refund("p-2", 1L))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("@RollbackOnceFailed");
        assertThat(fixture.count("command", "")).isZero();
        assertThat(fixture.count("unit", "")).isZero();
    }

    @Test
    void compensationsAtTheBottomRunLastInMemoryAndInRecovery_R2_J2() {
        java.util.function.Consumer<CompensationTemplate> book = scopes -> assertThatThrownBy(() -> scopes.execute(
                "Trips.book", () -> fixture.tx.execute(status -> {
                    rollback.appendToBottom(Payments.class).refund("bottom-1", 1L);
                    rollback.append(Payments.class).refund("top-1", 1L);
                    rollback.appendToBottom(Payments.class).refund("bottom-2", 1L);
                    rollback.append(Payments.class).refund("top-2", 1L);
                    throw new IllegalStateException("declined");
                }))).hasMessage("declined");

        book.accept(template);
        List<String> inMemory = payments.refunds.stream().map(refund -> refund.split(":")[0]).toList();
        payments.refunds.clear();
        book.accept(JournalFixture.crashingTemplate());
        fixture.recoverer("instance-b").recoverDue();
        List<String> recovered = payments.refunds.stream().map(refund -> refund.split(":")[0]).toList();

        assertThat(inMemory).containsExactly("top-2", "top-1", "bottom-1", "bottom-2");
        assertThat(recovered).isEqualTo(inMemory);
    }

    @Test
    void aStandInRecordsExactlyOneCall_J1() {
        assertThatThrownBy(() -> template.execute("Orders.pay", () -> {
            Payments standIn = rollback.append(Payments.class);
            standIn.refund("p-3", 1L);
            standIn.refund("p-4", 1L);
            return null;
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("records exactly one call");
    }
}
