package io.github.compensation.sample.trip;

import io.github.compensation.sample.partner.PartnerName;
import io.github.compensation.sample.partner.PartnerProperties;
import java.net.http.HttpClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * One {@link PartnerClient} per partner, each with a short read timeout. Base URLs come from
 * {@code sample.partners.<partner>-url} and are resolved on first call: by default they name this application's
 * own port ({@code ${local.server.port}}), which exists only once the web server started.
 */
@Configuration(proxyBeanMethods = false)
class PartnerClientsConfiguration {

    @Bean
    PartnerClient flights(RestClient.Builder builder, PartnerProperties properties, Environment environment) {
        return client(PartnerName.FLIGHTS, builder, properties, environment);
    }

    @Bean
    PartnerClient hotels(RestClient.Builder builder, PartnerProperties properties, Environment environment) {
        return client(PartnerName.HOTELS, builder, properties, environment);
    }

    @Bean
    PartnerClient payments(RestClient.Builder builder, PartnerProperties properties, Environment environment) {
        return client(PartnerName.PAYMENTS, builder, properties, environment);
    }

    @Bean
    PartnerClient cars(RestClient.Builder builder, PartnerProperties properties, Environment environment) {
        return client(PartnerName.CARS, builder, properties, environment);
    }

    private static PartnerClient client(PartnerName partner, RestClient.Builder builder,
            PartnerProperties properties, Environment environment) {
        HttpClient httpClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .build();
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
        requestFactory.setReadTimeout(properties.readTimeout());
        String property = "sample.partners." + partner.path() + "-url";
        return new PartnerClient(partner, builder.clone().requestFactory(requestFactory).build(),
                () -> environment.getRequiredProperty(property));
    }
}
