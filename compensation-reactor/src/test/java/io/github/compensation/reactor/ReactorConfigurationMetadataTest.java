package io.github.compensation.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The module's jar describes {@code compensation.reactive.*} for IDEs (E3: settings are discoverable). */
class ReactorConfigurationMetadataTest {

    @Test
    void a2_e3_theJarDescribesTheCancellationPolicyForIdes() throws IOException {
        String metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("META-INF/spring-configuration-metadata.json, written by spring-boot-configuration-processor")
                    .isNotNull();
            metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(metadata).contains("\"compensation.reactive.cancellation-policy\"");
    }
}
