package io.github.compensation.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The starter's jar carries the configuration metadata that IDEs complete {@code compensation.*} properties from: the
 * build must keep running Spring Boot's configuration processor next to the compiler plugins it adds.
 */
class ConfigurationMetadataTest {

    @Test
    void e3_theJarDescribesItsPropertiesForIdes() throws IOException {
        String metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("META-INF/spring-configuration-metadata.json, written by spring-boot-configuration-processor")
                    .isNotNull();
            metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(metadata).contains("\"compensation.advice-order\"", "\"compensation.retry.max-attempts\"",
                "\"compensation.transaction.follow-savepoints\"", "\"compensation.dispatch-failure-policy\"");
    }
}
