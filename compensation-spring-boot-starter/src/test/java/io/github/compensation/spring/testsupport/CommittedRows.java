package io.github.compensation.spring.testsupport;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads what is committed, through a brand-new physical connection that no transaction manager, pool or thread-bound
 * resource has ever seen: the only honest way to tell that a row is durable.
 */
public final class CommittedRows {

    private final String url;
    private final String user;
    private final String password;

    public CommittedRows(DataSource dataSource) {
        HikariDataSource hikari;
        try {
            hikari = dataSource.unwrap(HikariDataSource.class);
        }
        catch (SQLException notHikari) {
            throw new IllegalStateException("expected a Hikari data source", notHikari);
        }
        this.url = hikari.getJdbcUrl();
        this.user = hikari.getUsername();
        this.password = hikari.getPassword() == null ? "" : hikari.getPassword();
    }

    /** Ids of the committed bookings, ascending. */
    public List<Integer> bookingIds() {
        List<Integer> ids = new ArrayList<>();
        query("select id from booking order by id", result -> ids.add(result.getInt(1)));
        return ids;
    }

    /** Notes of the committed audit rows, ascending. */
    public List<String> auditNotes() {
        List<String> notes = new ArrayList<>();
        query("select note from audit order by note", result -> notes.add(result.getString(1)));
        return notes;
    }

    private void query(String sql, RowHandler handler) {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                handler.handle(result);
            }
        }
        catch (SQLException failure) {
            throw new IllegalStateException("could not read committed rows with " + sql, failure);
        }
    }

    private interface RowHandler {
        void handle(ResultSet result) throws SQLException;
    }
}
