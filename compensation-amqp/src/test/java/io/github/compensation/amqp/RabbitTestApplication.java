package io.github.compensation.amqp;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import io.github.compensation.messaging.MessageDispatcher;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The application under test: H2, JDBC transactions, RabbitMQ on localhost, the compensation starter. */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class RabbitTestApplication {

    static final String[] PROPERTIES = {
            "spring.rabbitmq.host=localhost", "spring.rabbitmq.port=5672", "spring.rabbitmq.username=guest",
            "spring.rabbitmq.password=guest", "spring.rabbitmq.publisher-confirm-type=correlated",
            "spring.rabbitmq.publisher-returns=true", "spring.datasource.url=jdbc:h2:mem:amqp;DB_CLOSE_DELAY=-1",
            "spring.sql.init.mode=always", "spring.sql.init.schema-locations=classpath:trips.sql",
            "spring.main.banner-mode=off"};

    @Bean
    Bookings bookings(JdbcTemplate jdbc, MessageDispatcher messages, RabbitTemplate rabbit) {
        return new Bookings(jdbc, messages, rabbit);
    }

    @Bean
    Reports reports() {
        return new Reports();
    }
}
