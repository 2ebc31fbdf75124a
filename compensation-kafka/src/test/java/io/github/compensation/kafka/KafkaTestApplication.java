package io.github.compensation.kafka;

import io.github.compensation.messaging.MessageDispatcher;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The application under test: H2, JDBC transactions, Spring Boot's Kafka support, the compensation starter. */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class KafkaTestApplication {

    static final String[] PROPERTIES = {"spring.datasource.url=jdbc:h2:mem:kafka;DB_CLOSE_DELAY=-1",
            "spring.sql.init.mode=always", "spring.sql.init.schema-locations=classpath:trips.sql",
            "spring.main.banner-mode=off", "compensation.messaging.send-timeout=3s"};

    @Bean
    Bookings bookings(JdbcTemplate jdbc, MessageDispatcher messages) {
        return new Bookings(jdbc, messages);
    }

    @Bean
    Reports reports() {
        return new Reports();
    }
}
