package io.github.compensation.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.DispatchCommands;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.journal.autoconfigure.JournalAutoConfiguration;
import io.github.compensation.spring.autoconfigure.CompensationAutoConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The journal in a Spring Boot application (with JDBC transactions; {@code JpaJournalTest} covers JPA): switched on by {@code compensation.journal.enabled}, it replaces the
 * injected holders with durable ones and settles annotated scopes through the journal (J1–J3, J5).
 */
@SpringBootTest(properties = {"spring.datasource.url=jdbc:h2:mem:journal-boot;DB_CLOSE_DELAY=-1",
        "compensation.journal.enabled=true", "compensation.journal.initialize-schema=true",
        "compensation.journal.table-prefix=boot_", "compensation.journal.poll-interval=100ms",
        "compensation.journal.lease=10s", "compensation.journal.backoff.delay=0ms",
        "spring.autoconfigure.exclude=org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
                + "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"})
class JournalAutoConfigurationTest {

    /** The journal's and the starter's auto-configurations on a data source, for the tests without the full app. */
    private static final ApplicationContextRunner BOOT = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, JournalAutoConfiguration.class,
                    CompensationAutoConfiguration.class));

    public record TripBooked(String trip) {
    }

    @SpringBootApplication
    @Import({Flights.class, Trips.class})
    static class App {
    }

    @Service
    public static class Flights {
        final List<String> calls = new CopyOnWriteArrayList<>();

        public void cancel(String flight) {
            calls.add("cancel " + flight + " key=" + (IdempotencyKey.current() != null));
        }

        @CommandHandler("trip-booked")
        public void booked(TripBooked event) {
            calls.add("booked " + event.trip());
        }
    }

    @Service
    public static class Trips {
        final JdbcTemplate jdbc;
        final DurableRollbackCommands rollback;
        final DurableDispatchCommands dispatch;

        Trips(JdbcTemplate jdbc, DurableRollbackCommands rollback, DurableDispatchCommands dispatch) {
            this.jdbc = jdbc;
            this.rollback = rollback;
            this.dispatch = dispatch;
        }

        @RollbackOnceFailed
        @DispatchAfterCommit
        @Transactional
        public void book(String trip, boolean fail) {
            jdbc.update("insert into boot_marker_probe (id) values (?)", trip);
            rollback.append(Flights.class).cancel("F-" + trip);
            dispatch.appendHandler("trip-booked", new TripBooked(trip));
            if (fail) {
                throw new IllegalStateException("payment declined");
            }
        }
    }

    @Autowired
    Trips trips;

    @Autowired
    Flights flights;

    @Autowired
    RollbackCommands rollbackCommands;

    @Autowired
    DispatchCommands dispatchCommands;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JournalWorker worker;

    @Test
    void injectedHoldersAreTheDurableOnesAndAnnotatedScopesGoThroughTheJournal_J1_J2_J3() {
        jdbc.execute("create table if not exists boot_marker_probe (id varchar(20) primary key)");
        assertThat(rollbackCommands).isInstanceOf(DurableRollbackCommands.class);
        assertThat(dispatchCommands).isInstanceOf(DurableDispatchCommands.class);

        trips.book("T1", false);
        assertThatThrownBy(() -> trips.book("T2", true)).hasMessage("payment declined");

        assertThat(flights.calls).filteredOn(call -> call.contains("T1") || call.contains("T2"))
                .containsExactly("booked T1", "cancel F-T2 key=true");
        worker.runOnce();
        assertThat(jdbc.queryForObject("select count(*) from boot_unit where state = 'COMMITTED'", Integer.class))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from boot_unit where state = 'COMPENSATED'", Integer.class))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from boot_command where kind = 'DISPATCH' and status ="
                + " 'DONE' and id <> 'w1'", Integer.class)).isEqualTo(1);
    }

    @Test
    void backgroundWorkerDeliversWhatTheOutboxHolds_J3() {
        jdbc.update("insert into boot_command (id, kind, seq, description, target_type, method_name, param_types,"
                + " payload, status, attempts, next_attempt_at, created_at, updated_at) values ('w1', 'DISPATCH', 0,"
                + " 'handler trip-booked', '@handler', 'trip-booked', 'x', '[{\"trip\":\"W1\"}]', 'PENDING', 0,"
                + " current_timestamp, current_timestamp, current_timestamp)");
        await().atMost(Duration.ofSeconds(10)).until(() -> flights.calls.contains("booked W1"));
    }

    @Test
    void journalIsOffUnlessSwitchedOnAndTheInMemoryHoldersStay_J5() {
        BOOT.withPropertyValues("spring.datasource.url=jdbc:h2:mem:journal-off")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(Journal.class);
                    assertThat(context.getBean(RollbackCommands.class))
                            .isNotInstanceOf(DurableRollbackCommands.class);
                });
    }

    @Test
    void everyAutoConfiguredBeanBacksOffWhenTheApplicationDefinesItsOwn() {
        java.util.List<String> beanMethods = java.util.Arrays.stream(JournalAutoConfiguration.class.getDeclaredMethods())
                .filter(method -> method.isAnnotationPresent(org.springframework.context.annotation.Bean.class))
                .map(java.lang.reflect.Method::getName).toList();
        assertThat(beanMethods).hasSizeGreaterThanOrEqualTo(8);
        assertThat(java.util.Arrays.stream(JournalAutoConfiguration.class.getDeclaredMethods())
                .filter(method -> method.isAnnotationPresent(org.springframework.context.annotation.Bean.class))
                .filter(method -> !method.isAnnotationPresent(
                        org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean.class))
                .map(java.lang.reflect.Method::getName)).as("@Bean methods without @ConditionalOnMissingBean").isEmpty();

        JsonCodec own = new JsonCodec();
        BOOT.withPropertyValues("spring.datasource.url=jdbc:h2:mem:journal-own", "compensation.journal.enabled=true",
                "compensation.journal.initialize-schema=true", "compensation.journal.worker=false")
                .withBean(JsonCodec.class, () -> own)
                .run(context -> assertThat(context).hasSingleBean(JsonCodec.class).getBean(JsonCodec.class)
                        .isSameAs(own));
    }

    public record Rebooked(String tripId) {
    }

    @Test
    void argumentsAreWrittenWithTheApplicationsJsonMapperMadeStrict_J6() {
        BOOT.withConfiguration(AutoConfigurations.of(
                        org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:journal-json", "compensation.journal.enabled=true",
                        "compensation.journal.initialize-schema=true", "compensation.journal.worker=false",
                        "spring.jackson.property-naming-strategy=SNAKE_CASE")
                .run(context -> {
                    JsonCodec codec = context.getBean(JsonCodec.class);
                    assertThat(codec.writePayload(Rebooked.class, new Rebooked("T-1"), "payload"))
                            .as("the application's naming strategy").isEqualTo("[{\"trip_id\":\"T-1\"}]");
                    assertThatThrownBy(() -> codec.writePayload(Object.class, new Object(), "payload"))
                            .as("a value without properties still fails").isInstanceOf(UnwritableCommandException.class);
                });
    }

    @Test
    void leaseShorterThanTwoPollsFailsAtStartupSayingWhatToChange_J5() {
        BOOT.withPropertyValues("spring.datasource.url=jdbc:h2:mem:journal-bad", "compensation.journal.enabled=true",
                "compensation.journal.lease=1s", "compensation.journal.poll-interval=1s")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("must be at least twice compensation.journal.poll-interval"));
    }

    @Test
    void batchSizeAboveWhatOneClaimStatementTakesFailsAtStartupSayingTheLimit_J5() {
        BOOT.withPropertyValues("spring.datasource.url=jdbc:h2:mem:journal-batch",
                "compensation.journal.enabled=true", "compensation.journal.batch-size=5000")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("compensation.journal.batch-size must be at most 1000")
                        .hasMessageContaining("5000"));
    }

    /** Records the beans a plain application bean post-processor saw, as a data source wrapper would. */
    static class SeenByPostProcessor implements org.springframework.beans.factory.config.BeanPostProcessor {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            seen.add(beanName);
            return bean;
        }
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class PostProcessorConfig {
        @org.springframework.context.annotation.Bean
        static SeenByPostProcessor seenByPostProcessor() {
            return new SeenByPostProcessor();
        }
    }

    @Test
    void theApplicationsOwnBeanPostProcessorsStillSeeItsDataSourceWithTheJournalOn() {
        BOOT.withUserConfiguration(PostProcessorConfig.class)
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:journal-bpp",
                        "compensation.journal.enabled=true", "compensation.journal.initialize-schema=true",
                        "compensation.journal.worker=false")
                .run(context -> assertThat(context.getBean(SeenByPostProcessor.class).seen)
                        .as("the data source was not created early, while the advice was (no wrapper, no proxy)")
                        .contains("dataSource", "compensationJournal", "compensationTemplate"));
    }
}
