package io.github.compensation.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;

/**
 * A remote system whose effects survive the process: every call is a row in {@code <prefix>effect}, committed on a
 * connection of its own. Can be told to stop the process dead right after one call ("POINT" on stdout, then block
 * until killed).
 */
public class DbRemote {

    private final DataSource dataSource;
    private final String table;
    volatile String blockAfter = "";

    public DbRemote(DataSource dataSource, String prefix) {
        this.dataSource = dataSource;
        this.table = prefix + "effect";
    }

    static String createTable(String prefix) {
        return "create table if not exists " + prefix + "effect (what varchar(200) not null, idem varchar(64))";
    }

    public void reserve(String id) {
        record("reserve " + id);
    }

    public void cancel(String id) {
        record("cancel " + id);
    }

    public void publish(String event) {
        record("publish " + event);
    }

    private void record(String call) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (PreparedStatement insert = connection.prepareStatement("insert into " + table
                    + " (what, idem) values (?, ?)")) {
                insert.setString(1, call);
                insert.setString(2, IdempotencyKey.current());
                insert.executeUpdate();
            }
        }
        catch (SQLException failure) {
            throw new IllegalStateException(failure);
        }
        if (call.equals(blockAfter)) {
            CrashScenarioMain.point(call);
        }
    }

    static void blockForever() {
        try {
            new CountDownLatch(1).await();
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
