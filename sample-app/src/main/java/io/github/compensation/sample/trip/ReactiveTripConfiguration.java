package io.github.compensation.sample.trip;

import io.github.compensation.sample.partner.PartnerName;
import io.github.compensation.sample.partner.PartnerProperties;
import io.r2dbc.spi.ConnectionFactories;
import java.net.http.HttpClient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.r2dbc.connection.init.ConnectionFactoryInitializer;
import org.springframework.r2dbc.connection.init.ResourceDatabasePopulator;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * What the reactive booking uses: a {@link WebClient} per partner and an R2DBC database of its own
 * ({@code sample.reactive.r2dbc-url}, H2 in memory by default, wrapped in {@link ReactiveTripsDatabase}), whose table
 * {@code schema-reactive.sql} creates at startup. No reactive transaction manager bean: {@link ReactiveTripService} builds its own, so that the JDBC one
 * stays the only {@code TransactionManager} of the application.
 */
@Configuration(proxyBeanMethods = false)
class ReactiveTripConfiguration {

    @Bean
    ReactivePartnerClient reactiveFlights(PartnerProperties properties, Environment environment) {
        return client(PartnerName.FLIGHTS, properties, environment);
    }

    @Bean
    ReactivePartnerClient reactiveHotels(PartnerProperties properties, Environment environment) {
        return client(PartnerName.HOTELS, properties, environment);
    }

    @Bean
    ReactivePartnerClient reactiveCars(PartnerProperties properties, Environment environment) {
        return client(PartnerName.CARS, properties, environment);
    }

    @Bean
    ReactiveTripsDatabase reactiveTripsDatabase(@Value("${sample.reactive.r2dbc-url}") String url) {
        return new ReactiveTripsDatabase(ConnectionFactories.get(url));
    }

    @Bean
    ConnectionFactoryInitializer reactiveTripsSchema(ReactiveTripsDatabase reactiveTripsDatabase) {
        ConnectionFactoryInitializer initializer = new ConnectionFactoryInitializer();
        initializer.setConnectionFactory(reactiveTripsDatabase.connections());
        initializer.setDatabasePopulator(new ResourceDatabasePopulator(new ClassPathResource("schema-reactive.sql")));
        return initializer;
    }

    private static ReactivePartnerClient client(PartnerName partner, PartnerProperties properties,
            Environment environment) {
        HttpClient httpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout()).build();
        WebClient http = WebClient.builder().clientConnector(new JdkClientHttpConnector(httpClient)).build();
        String property = "sample.partners." + partner.path() + "-url";
        return new ReactivePartnerClient(partner, http, () -> environment.getRequiredProperty(property),
                properties.readTimeout());
    }
}
