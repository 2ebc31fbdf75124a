package io.github.compensation.spring.testsupport;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points a Spring Boot test context at a database of its own: an in-memory H2 database, or a fresh database on the
 * shared embedded PostgreSQL server. Spring Boot's SQL initialization creates the tests' own tables ({@code booking},
 * {@code audit}) from this module's test resources {@code schema-h2.sql} or {@code schema-postgresql.sql}, picked by
 * {@code spring.sql.init.platform}; the journal's tables are not created here.
 */
public final class TestDatabases {

    private static final AtomicInteger H2_DATABASES = new AtomicInteger();

    private TestDatabases() {
    }

    /**
     * An in-memory H2 database for one context.
     *
     * @param registry the context's dynamic properties
     * @param prefix   readable part of the database name
     */
    public static void h2(DynamicPropertyRegistry registry, String prefix) {
        String url = "jdbc:h2:mem:" + prefix + "_" + H2_DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "sa");
        registry.add("spring.datasource.password", () -> "");
        registry.add("spring.sql.init.mode", () -> "always");
        registry.add("spring.sql.init.platform", () -> "h2");
        common(registry);
    }

    /**
     * A database of its own on the shared embedded PostgreSQL server (started on first use).
     *
     * @param registry the context's dynamic properties
     * @param prefix   readable part of the database name
     */
    public static void postgres(DynamicPropertyRegistry registry, String prefix) {
        String url = EmbeddedPostgresHolder.createDatabase(prefix);
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add("spring.sql.init.mode", () -> "always");
        registry.add("spring.sql.init.platform", () -> "postgresql");
        common(registry);
    }

    private static void common(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "6");
        registry.add("spring.datasource.hikari.minimum-idle", () -> "1");
        registry.add("spring.jpa.hibernate.ddl-auto", () -> "none");
        registry.add("spring.jpa.open-in-view", () -> "false");
    }
}
