package io.github.compensation.spring.transaction;

import io.github.compensation.spring.testsupport.TestDatabases;
import io.github.compensation.spring.transaction.jpa.AuditRepository;
import io.github.compensation.spring.transaction.jpa.BookingRepository;
import io.github.compensation.spring.transaction.jpa.JpaBookingStore;
import org.junit.jupiter.api.Nested;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The transaction scenarios with Spring Boot's {@code JpaTransactionManager} (Hibernate) and Spring Data JPA
 * repositories, on H2 and on PostgreSQL (T5). Here a write made from a completion callback on the finished
 * transaction's {@code EntityManager} would be lost without a word, which D4 forbids.
 */
class JpaTransactionSemanticsTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(TransactionTestBeans.class)
    static class JpaApp {

        @Bean
        BookingStore bookingStore(BookingRepository bookings, AuditRepository audits) {
            return new JpaBookingStore(bookings, audits);
        }
    }

    @Nested
    @SpringBootTest(classes = JpaApp.class)
    class OnH2 extends TransactionScenarios {

        @DynamicPropertySource
        static void database(DynamicPropertyRegistry registry) {
            TestDatabases.h2(registry, "jpa_semantics");
        }
    }

    @Nested
    @SpringBootTest(classes = JpaApp.class)
    class OnPostgreSql extends PostgresTransactionScenarios {

        @DynamicPropertySource
        static void database(DynamicPropertyRegistry registry) {
            TestDatabases.postgres(registry, "jpa_semantics");
        }
    }
}
