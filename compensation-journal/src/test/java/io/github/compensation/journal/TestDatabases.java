package io.github.compensation.journal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** The three databases the journal is tested on (J5): H2 in memory, embedded PostgreSQL, and the local MariaDB. */
final class TestDatabases {

    static final String MARIADB_URL = "jdbc:mariadb://localhost:3306/test";

    private static final AtomicInteger H2_COUNTER = new AtomicInteger();
    private static EmbeddedPostgres postgres;
    private static HikariDataSource postgresPool;
    private static HikariDataSource mariadbPool;

    private TestDatabases() {
    }

    static HikariDataSource h2() {
        return pool("jdbc:h2:mem:journal" + H2_COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1", "sa", "", 10);
    }

    static synchronized DataSource postgres() {
        if (postgresPool == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            }
            catch (IOException failure) {
                throw new UncheckedIOException("Embedded PostgreSQL did not start", failure);
            }
            postgresPool = pool(postgresUrl(), "postgres", "postgres", 12);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                postgresPool.close();
                try {
                    postgres.close();
                }
                catch (IOException ignored) {
                    // exiting anyway
                }
            }));
        }
        return postgresPool;
    }

    static synchronized String postgresUrl() {
        if (postgres == null) {
            postgres();
        }
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** The MariaDB server on localhost:3306; fails (never skips) when it is not running. */
    static synchronized DataSource mariadb() {
        if (mariadbPool == null) {
            try (Connection connection = java.sql.DriverManager.getConnection(MARIADB_URL, "root", "")) {
                connection.isValid(2);
            }
            catch (SQLException unreachable) {
                throw new AssertionError("MariaDB is not reachable at " + MARIADB_URL + " (user root, empty password,"
                        + " database 'test'): " + unreachable.getMessage() + ". Run scripts/mariadb-for-tests.sh"
                        + " as root (installs, starts and prepares it), or start it with: start-stop-daemon --start"
                        + " --oknodo --background --exec /usr/sbin/mariadbd ; wait until 'mariadb-admin ping'"
                        + " answers; then: mariadb -uroot -e 'create database if not exists test'", unreachable);
            }
            mariadbPool = pool(MARIADB_URL, "root", "", 12);
        }
        return mariadbPool;
    }

    static HikariDataSource pool(String url, String user, String password, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(5_000);
        return new HikariDataSource(config);
    }
}
