package io.github.compensation.aspectjtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.DispatchCommands;
import io.github.compensation.Outcome;
import io.github.compensation.RollbackCommands;
import io.github.compensation.spi.ScopeListener;
import io.github.compensation.CommandStatus;
import io.github.compensation.ScopeReport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AdviceMode;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/**
 * A Spring Boot application whose services are woven: with {@code compensation.mode=aspectj}, self-invocations open
 * scopes, transactions are honoured, and no call gets a second, proxy-based scope.
 */
class AspectJModeTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableTransactionManagement(mode = AdviceMode.ASPECTJ)
    static class App {

        @Bean
        SelfCallingBooking selfCallingBooking(RollbackCommands rollback, DispatchCommands dispatch) {
            return new SelfCallingBooking(rollback, dispatch);
        }

        @Bean
        TripDesk tripDesk(JdbcTemplate jdbc, RollbackCommands rollback, DispatchCommands dispatch) {
            return new TripDesk(jdbc, rollback, dispatch);
        }

        @Bean
        Reports reports() {
            return new Reports();
        }
    }

    static class Reports implements ScopeListener {
        final List<ScopeReport> finished = new CopyOnWriteArrayList<>();

        @Override
        public void scopeFinished(ScopeReport report) {
            finished.add(report);
        }
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off")
                .properties(properties)
                .run();
    }

    @Test
    void r1_selfInvokedAnnotatedMethodCompensatesWhenItFails() {
        try (var context = start("compensation.mode=aspectj")) {
            SelfCallingBooking booking = context.getBean(SelfCallingBooking.class);

            assertThatThrownBy(() -> booking.book("lisbon", true)).hasMessage("payment declined for lisbon");

            assertThat(booking.calls()).containsExactly("reserve flight lisbon", "reserve hotel lisbon",
                    "cancel hotel lisbon", "cancel flight lisbon");
        }
    }

    @Test
    void d1_selfInvocationInsideTransactionDispatchesOnlyAfterCommit() {
        try (var context = start("compensation.mode=aspectj")) {
            TripDesk desk = context.getBean(TripDesk.class);

            desk.book("porto", false);

            assertThat(desk.calls()).containsExactly("reserve flight porto", "after reserve, announced: false",
                    "announce porto, saved: true");
        }
    }

    @Test
    void t2_selfInvocationCompensatesWhenTheEnclosingTransactionRollsBackAfterItReturned() {
        try (var context = start("compensation.mode=aspectj")) {
            TripDesk desk = context.getBean(TripDesk.class);

            assertThatThrownBy(() -> desk.book("faro", true)).hasMessage("payment declined for faro");

            assertThat(desk.calls()).containsExactly("reserve flight faro", "after reserve, announced: false",
                    "cancel flight faro, saved: false");
        }
    }

    @Test
    void t4_wovenCompensationsRunAfterTheWovenTransactionRolledBack() {
        try (var context = start("compensation.mode=aspectj")) {
            TripDesk desk = context.getBean(TripDesk.class);

            assertThatThrownBy(() -> desk.bookAndFail("braga")).hasMessage("payment declined for braga");

            assertThat(desk.calls()).containsExactly("reserve flight braga", "transaction rolled back",
                    "cancel flight braga, saved: false");
        }
    }

    @Test
    void t1_n2_wovenMethodWithItsOwnNewTransactionSettlesOnReturnNotWithTheCallersTransaction() {
        try (var context = start("compensation.mode=aspectj")) {
            TripDesk desk = context.getBean(TripDesk.class);

            assertThatThrownBy(() -> desk.bookSeparatelyThenFail("evora")).hasMessage("payment declined for evora");

            assertThat(desk.calls()).containsExactly("reserve flight evora", "announce evora, saved: true");
        }
    }

    @Test
    void aspectjModeOpensExactlyOneScopePerCallEvenWithAspectJAutoProxying() {
        try (var context = start("compensation.mode=aspectj")) {
            SelfCallingBooking booking = context.getBean(SelfCallingBooking.class);
            Reports reports = context.getBean(Reports.class);

            assertThatThrownBy(() -> booking.reserve("evora", true)).hasMessage("payment declined for evora");

            assertThat(reports.finished).singleElement().satisfies(report -> {
                assertThat(report.name()).isEqualTo("SelfCallingBooking.reserve");
                assertThat(report.outcome()).isEqualTo(Outcome.ROLLED_BACK);
                assertThat(report.commands()).extracting(command -> command.description() + " " + command.status())
                        .containsExactly("cancel hotel " + CommandStatus.DONE, "cancel flight " + CommandStatus.DONE,
                                "trip booked " + CommandStatus.DISCARDED);
            });
            assertThat(booking.calls()).containsExactly("reserve flight evora", "reserve hotel evora",
                    "cancel hotel evora", "cancel flight evora");
        }
    }

    @Test
    void e3_wovenClassesInProxyModeFailNamingTheModeProperty() {
        try (var context = start()) {
            SelfCallingBooking booking = context.getBean(SelfCallingBooking.class);

            assertThatThrownBy(() -> booking.book("tavira", false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("set compensation.mode=aspectj");
            assertThat(booking.calls()).isEmpty();
        }
    }
}
