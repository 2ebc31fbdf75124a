package io.github.compensation.amqp.outbox;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/** One embedded PostgreSQL server for the outbox tests of this JVM, stopped when the JVM exits. */
final class EmbeddedPostgresForTests {

    private static EmbeddedPostgres postgres;

    private EmbeddedPostgresForTests() {
    }

    /** @return the JDBC URL of a new database on the server (user and password {@code postgres}) */
    static synchronized String newDatabase(String name) {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            }
            catch (IOException failure) {
                throw new UncheckedIOException("Embedded PostgreSQL did not start", failure);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                }
                catch (IOException ignored) {
                    // exiting anyway
                }
            }));
        }
        try (var connection = postgres.getPostgresDatabase().getConnection();
             var statement = connection.createStatement()) {
            statement.execute("drop database if exists " + name);
            statement.execute("create database " + name);
        }
        catch (java.sql.SQLException failure) {
            throw new IllegalStateException("Cannot create database " + name, failure);
        }
        return postgres.getJdbcUrl("postgres", name);
    }
}
