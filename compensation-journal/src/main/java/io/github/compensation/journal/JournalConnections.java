package io.github.compensation.journal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The two ways the journal reaches its database, in one place: a connection of its own, outside any transaction bound
 * to the thread and committed before the call returns (write-ahead registration, claims, recovery, operator actions:
 * J2, J4), or the business transaction bound to the thread (the marker row and the outbox: J2, J3). Own connections
 * run a single statement in auto-commit, several as one multi-statement on PostgreSQL (one round trip, one implicit
 * transaction) and in a short {@code READ COMMITTED} transaction elsewhere; a deadlock victim is run again.
 * Thread-safe.
 */
final class JournalConnections {

    private final DataSource dataSource;
    private final Dialect dialect;
    private final JdbcTemplate business;

    JournalConnections(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.business = new JdbcTemplate(dataSource);
    }

    /** A template that joins the transaction bound to the calling thread. */
    JdbcTemplate business() {
        return business;
    }

    /** The resource Spring binds for the business transaction on the calling thread, or {@code null}. */
    @Nullable Object currentTransaction() {
        return TransactionSynchronizationManager.getResource(dataSource);
    }

    /** Whether the calling thread runs a transaction on the journal's data source. */
    boolean inBusinessTransaction() {
        return TransactionSynchronizationManager.isActualTransactionActive()
                && TransactionSynchronizationManager.hasResource(dataSource);
    }

    /**
     * Runs work on a connection of its own, committed at the end, rolled back on failure, and run again when the
     * database picked it as a deadlock victim (every such unit of work is a short transaction of SQL only, so running
     * it again after its rollback is safe).
     *
     * @param work the work
     * @param <T>  its result
     * @return the result
     */
    <T> T own(Function<JdbcTemplate, T> work) {
        return retryingLockConflicts(() -> once(work));
    }

    /**
     * Runs one statement on a connection of its own in auto-commit: committed with the same round trip, and run again
     * when it was picked as a deadlock victim.
     *
     * @return how many rows it changed
     */
    int writeOne(String sql, Object... args) {
        Write write = new Write(sql, args);
        return retryingLockConflicts(() -> onOwnConnection(true, write::to));
    }

    /** Like {@link #own(Function)}, without running it again: for work that waits on locks on purpose. */
    <T> T once(Function<JdbcTemplate, T> work) {
        return onOwnConnection(false, work);
    }

    /**
     * Writes rows on a connection of its own, all or none, committed before this returns. A single statement runs in
     * auto-commit; on PostgreSQL several are sent as one multi-statement, which the server runs as one implicit
     * transaction: one round trip either way. Elsewhere several run in a transaction.
     *
     * @param writes the statements, in order
     */
    void write(List<Write> writes) {
        if (writes.isEmpty()) {
            return;
        }
        if (writes.size() > 1 && dialect != Dialect.POSTGRESQL) {
            own(jdbc -> {
                writes.forEach(write -> write.to(jdbc));
                return null;
            });
            return;
        }
        Write one = writes.size() == 1 ? writes.get(0) : Write.joined(writes);
        writeOne(one.sql(), one.args());
    }

    private <T> T onOwnConnection(boolean autoCommit, Function<JdbcTemplate, T> work) {
        Connection connection;
        try {
            connection = dataSource.getConnection();
        }
        catch (SQLException failure) {
            throw new CannotGetJdbcConnectionException("The journal cannot reach its database", failure);
        }
        try {
            if (connection.getAutoCommit() != autoCommit) {
                connection.setAutoCommit(autoCommit);
            }
            if (!autoCommit && dialect == Dialect.MARIADB) {
                // no gap locks on MariaDB/MySQL: claims of different rows do not block or deadlock each other
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
            T result = work.apply(new JdbcTemplate(new SingleConnectionDataSource(connection, true)));
            if (!autoCommit) {
                connection.commit();
            }
            return result;
        }
        catch (SQLException failure) {
            rollbackQuietly(connection);
            throw new CannotGetJdbcConnectionException("The journal's database failed: " + failure.getMessage(),
                    failure);
        }
        catch (RuntimeException | Error failure) {
            rollbackQuietly(connection);
            throw failure;
        }
        finally {
            try {
                connection.close();
            }
            catch (SQLException ignored) {
                // nothing more to do
            }
        }
    }

    /**
     * One statement and its arguments, written with others by {@link #write(List)} or run through a template.
     *
     * @param sql  the statement
     * @param args its arguments
     */
    record Write(String sql, Object... args) {

        /** Joined statements by their parts: the same few shapes come back on every business transaction. */
        private static final Map<List<String>, String> JOINED_SQL = new ConcurrentHashMap<>();
        private static final int JOINED_SQL_KEPT = 256;

        /** The statements as one multi-statement; its text is built once per shape (up to a few hundred shapes). */
        static Write joined(List<Write> writes) {
            String[] parts = new String[writes.size()];
            int count = 0;
            for (int i = 0; i < parts.length; i++) {
                parts[i] = writes.get(i).sql();
                count += writes.get(i).args().length;
            }
            List<String> shape = Arrays.asList(parts);
            String sql = JOINED_SQL.get(shape);
            if (sql == null) {
                sql = String.join(";\n", parts);
                if (JOINED_SQL.size() < JOINED_SQL_KEPT) {
                    JOINED_SQL.putIfAbsent(shape, sql);
                }
            }
            Object[] args = new Object[count];
            int at = 0;
            for (Write write : writes) {
                System.arraycopy(write.args(), 0, args, at, write.args().length);
                at += write.args().length;
            }
            return new Write(sql, args);
        }

        int to(JdbcTemplate jdbc) {
            return jdbc.update(sql, args);
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        }
        catch (SQLException | RuntimeException ignored) {
            // the original failure is what matters
        }
    }

    /**
     * Runs work again when the database chose it as a deadlock victim or its lock wait timed out (MariaDB/MySQL can
     * deadlock on secondary indexes even with SKIP LOCKED): giving up would look like "nothing due" or leave a
     * delivered dispatch unmarked.
     */
    private static <T> T retryingLockConflicts(Supplier<T> claim) {
        for (int attempt = 1; ; attempt++) {
            try {
                return claim.get();
            }
            catch (PessimisticLockingFailureException conflict) {
                if (attempt >= 10) {
                    throw conflict;
                }
            }
        }
    }

}
