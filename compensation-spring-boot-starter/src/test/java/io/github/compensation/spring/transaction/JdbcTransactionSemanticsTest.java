package io.github.compensation.spring.transaction;

import io.github.compensation.spring.testsupport.TestDatabases;
import org.junit.jupiter.api.Nested;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The transaction scenarios with Spring Boot's JDBC transaction manager ({@code JdbcTransactionManager}, a
 * {@code DataSourceTransactionManager}) and {@code JdbcTemplate}, on H2 and on PostgreSQL (T5).
 */
class JdbcTransactionSemanticsTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = {
            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"})
    @Import(TransactionTestBeans.class)
    static class JdbcApp {

        @Bean
        BookingStore bookingStore(JdbcTemplate jdbc) {
            return new JdbcBookingStore(jdbc);
        }
    }

    @Nested
    @SpringBootTest(classes = JdbcApp.class)
    class OnH2 extends TransactionScenarios {

        @DynamicPropertySource
        static void database(DynamicPropertyRegistry registry) {
            TestDatabases.h2(registry, "jdbc_semantics");
        }
    }

    @Nested
    @SpringBootTest(classes = JdbcApp.class)
    class OnPostgreSql extends PostgresTransactionScenarios {

        @DynamicPropertySource
        static void database(DynamicPropertyRegistry registry) {
            TestDatabases.postgres(registry, "jdbc_semantics");
        }
    }
}
