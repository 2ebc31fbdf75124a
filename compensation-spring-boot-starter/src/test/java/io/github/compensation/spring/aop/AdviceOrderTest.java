package io.github.compensation.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.DispatchCommands;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.spring.testsupport.Journal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.BeanFactoryTransactionAttributeSourceAdvisor;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * T4: on a real proxy carrying both {@code @RollbackOnceFailed} and {@code @Transactional}, the compensation advice
 * wraps the transaction advice, so compensations run after the database rolled back and dispatches after it
 * committed, outside the transaction.
 */
@SpringBootTest(classes = AdviceOrderTest.App.class)
class AdviceOrderTest {

    public static class Payments {

        private final RollbackCommands rollback;
        private final DispatchCommands dispatch;
        private final Journal journal;

        public Payments(RollbackCommands rollback, DispatchCommands dispatch, Journal journal) {
            this.rollback = rollback;
            this.dispatch = dispatch;
            this.journal = journal;
        }

        @RollbackOnceFailed
        @DispatchAfterCommit
        @Transactional
        public void pay(boolean fail) {
            journal.recordCompletionOfCurrentTransaction("tx");
            rollback.append("refund", () -> journal.add("refund, transaction active: "
                    + TransactionSynchronizationManager.isActualTransactionActive()));
            dispatch.append("receipt", () -> journal.add("receipt, transaction active: "
                    + TransactionSynchronizationManager.isActualTransactionActive()));
            if (fail) {
                throw new IllegalStateException("card declined");
            }
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = {
            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"})
    static class App {

        @Bean
        Journal journal() {
            return new Journal();
        }

        @Bean
        Payments payments(RollbackCommands rollback, DispatchCommands dispatch, Journal journal) {
            return new Payments(rollback, dispatch, journal);
        }
    }

    @Autowired
    Payments payments;

    @Autowired
    Journal journal;

    @BeforeEach
    void cleanSlate() {
        journal.clear();
    }

    @Test
    void t4_theCompensationAdvisorComesBeforeTheTransactionAdvisorOnTheProxy() {
        assertThat(payments).isInstanceOf(Advised.class);
        List<Advisor> advisors = Arrays.asList(((Advised) payments).getAdvisors());
        int compensation = indexOf(advisors, CompensationAdvisor.class);
        int transaction = indexOf(advisors, BeanFactoryTransactionAttributeSourceAdvisor.class);

        assertThat(compensation).as("compensation advisor in %s", advisors).isNotNegative();
        assertThat(transaction).as("transaction advisor in %s", advisors).isNotNegative();
        assertThat(compensation).as("outer advice first").isLessThan(transaction);
        assertThat(((Ordered) advisors.get(compensation)).getOrder()).isEqualTo(Ordered.LOWEST_PRECEDENCE - 100);
    }

    @Test
    void t4_compensationsRunAfterTheDatabaseRolledBackOutsideTheTransaction() {
        assertThatThrownBy(() -> payments.pay(true)).hasMessage("card declined");

        assertThat(journal.lines()).containsExactly("tx rolled back", "refund, transaction active: false");
    }

    @Test
    void t4_d1_dispatchesRunAfterTheCommitOutsideTheTransaction() {
        payments.pay(false);

        assertThat(journal.lines()).containsExactly("tx committed", "receipt, transaction active: false");
    }

    private static int indexOf(List<Advisor> advisors, Class<?> type) {
        for (int i = 0; i < advisors.size(); i++) {
            if (type.isInstance(advisors.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
