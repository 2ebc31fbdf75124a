package io.github.compensation.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The compensation sample: books trips through three partner services over HTTP (flights, hotels, payments) with
 * {@code @RollbackOnceFailed} and {@code @DispatchAfterCommit}, and runs a batch that suspends overdue customers one
 * transaction per customer. The partners run inside this application by default, under {@code /partners/*}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
