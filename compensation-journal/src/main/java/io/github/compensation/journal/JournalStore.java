package io.github.compensation.journal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;
import io.github.compensation.journal.JournalEntry.Kind;
import io.github.compensation.journal.JournalEntry.Status;
import io.github.compensation.journal.JournalUnit.State;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Every SQL statement of the journal. Two ways to reach the database: {@link #own(Function)} opens a connection of its
 * own, outside any transaction bound to the thread, and commits it (write-ahead journaling, claims, recovery: J2, J4);
 * {@link #business()} joins the transaction bound to the thread (the marker row and the outbox: J2, J3). Thread-safe.
 */
public class JournalStore {


    private static final String COLUMNS = "id, unit_id, kind, seq, description, target_type, bean_name, method_name,"
            + " param_types, payload, status, attempts, next_attempt_at, last_error";

    private final DataSource dataSource;
    private final Dialect dialect;
    private final String unit;
    private final String marker;
    private final String command;
    private final JdbcTemplate business;

    /**
     * @param dataSource the application's data source, the one its business transactions use
     * @param dialect    the database
     * @param prefix     the table prefix
     */
    public JournalStore(DataSource dataSource, Dialect dialect, String prefix) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        JournalSchema.checkPrefix(prefix);
        this.unit = prefix + "unit";
        this.marker = prefix + "marker";
        this.command = prefix + "command";
        this.business = new JdbcTemplate(dataSource);
    }

    /** @return the data source */
    public DataSource dataSource() {
        return dataSource;
    }

    /** @return the dialect */
    public Dialect dialect() {
        return dialect;
    }

    /** @return a template that joins the transaction bound to the calling thread */
    JdbcTemplate business() {
        return business;
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

        static Write joined(List<Write> writes) {
            StringBuilder sql = new StringBuilder();
            List<Object> args = new ArrayList<>();
            for (Write write : writes) {
                sql.append(sql.isEmpty() ? "" : ";\n").append(write.sql());
                args.addAll(java.util.Arrays.asList(write.args()));
            }
            return new Write(sql.toString(), args.toArray());
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

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    // ---------------------------------------------------------------- units and markers (J2)

    /** An open unit, leased to {@code owner}. */
    Write unitRow(String id, String name, String owner, Instant leaseUntil, Instant now) {
        return new Write("insert into " + unit + " (id, name, state, owner, lease_until, created_at, updated_at)"
                + " values (?, ?, " + q(State.OPEN) + ", ?, ?, ?, ?)", id, truncate(name, 255), owner,
                ts(leaseUntil), ts(now),
                ts(now));
    }

    void insertMarker(JdbcTemplate jdbc, String unitId, Verdict verdict, Instant now) {
        jdbc.update("insert into " + marker + " (unit_id, verdict, created_at) values (?, ?, ?)", unitId,
                verdict.column(), ts(now));
    }

    /**
     * Decides a unit's fate for good: inserts an {@link Verdict#ABORTED} marker unless the business transaction
     * inserted its {@link Verdict#COMMITTED} one. While that transaction is still running, the insert waits on its
     * uncommitted row, so the answer is never a guess; after the timeout this returns {@code null}.
     */
    @Nullable Verdict fence(String unitId, Instant now, int timeoutSeconds) {
        try {
            return once(jdbc -> {
                jdbc.setQueryTimeout(timeoutSeconds);
                insertMarker(jdbc, unitId, Verdict.ABORTED, now);
                return Verdict.ABORTED;
            });
        }
        catch (DuplicateKeyException exists) {
            return verdict(unitId);
        }
        catch (DataAccessException busyOrUnreachable) {
            // still locked by the running business transaction (timeout, lock wait) or the database is away
            return null;
        }
    }

    /** The verdict of a unit's marker row, which exists. */
    Verdict verdict(String unitId) {
        return Verdict.ofColumn(own(jdbc -> jdbc.queryForObject("select verdict from " + marker
                + " where unit_id = ?", String.class, unitId)));
    }

    /**
     * Writes a unit's {@link Verdict#COMMITTED} marker on a connection of its own: the commit point of a unit whose
     * scope ran without a transaction.
     *
     * @return the unit's verdict: committed, or aborted when recovery fenced it off first
     */
    Verdict commitOwnMarker(String unitId, Instant now) {
        try {
            own(jdbc -> {
                insertMarker(jdbc, unitId, Verdict.COMMITTED, now);
                return null;
            });
            return Verdict.COMMITTED;
        }
        catch (DuplicateKeyException fenced) {
            return verdict(unitId);
        }
    }

    int renewUnits(List<String> ids, String owner, Instant leaseUntil, Instant now) {
        if (ids.isEmpty()) {
            return 0;
        }
        List<Write> writes = forIds("update " + unit + " set lease_until = ?, updated_at = ? where owner = ?"
                + " and state = " + q(State.OPEN) + " and id in", ids, ts(leaseUntil), ts(now), owner);
        return own(jdbc -> writes.stream().mapToInt(write -> write.to(jdbc)).sum());
    }

    /** Sets a unit's final state and what becomes of its commands still waiting. */
    void finishUnit(String unitId, State state, Status pendingBecomes, Status lambdaBecomes, Instant now) {
        write(finishUnitRows(unitId, state, pendingBecomes, lambdaBecomes, now));
    }

    /** The writes of {@link #finishUnit}, to be written together with others. */
    List<Write> finishUnitRows(String unitId, State state, Status pendingBecomes, Status lambdaBecomes,
            Instant now) {
        return List.of(new Write("update " + unit + " set state = ?, updated_at = ? where id = ?", state.column(),
                        ts(now), unitId),
                new Write("update " + command + " set status = case when status = " + q(Status.LAMBDA)
                        + " then ? else ? end,"
                        + " updated_at = ? where unit_id = ? and status in "
                        + in(Status.PENDING, Status.RUNNING, Status.LAMBDA),
                        lambdaBecomes.column(), pendingBecomes.column(), ts(now), unitId));
    }

    void setUnitState(String unitId, State state, Instant leaseUntil, Instant now) {
        writeOne("update " + unit + " set state = ?, lease_until = ?, updated_at = ? where id = ?",
                state.column(), ts(leaseUntil), ts(now), unitId);
    }

    /** Claims units whose lease expired: open ones (their owner died) and aborted ones being compensated (J4). */
    List<String> claimDueUnits(String owner, Instant now, Instant leaseUntil, int limit) {
        return own(jdbc -> {
            List<String> ids = jdbc.queryForList("select id from " + unit + " where state in "
                    + in(State.OPEN, State.ABORTED)
                    + " and lease_until < ? order by lease_until limit ?" + dialect.skipLocked(), String.class,
                    ts(now), limit);
            forIds("update " + unit + " set owner = ?, lease_until = ?, updated_at = ? where id in", ids, owner,
                    ts(leaseUntil), ts(now)).forEach(write -> write.to(jdbc));
            return ids;
        });
    }

    @Nullable State unitState(String unitId) {
        List<String> states = own(jdbc -> jdbc.queryForList("select state from " + unit + " where id = ?",
                String.class, unitId));
        return states.isEmpty() ? null : State.ofColumn(states.get(0));
    }

    // ---------------------------------------------------------------- commands

    /** A command waiting to run, due now. */
    Write commandRow(String id, @Nullable String unitId, Kind kind, int seq, String description,
            @Nullable RecordedCall call, Status status, Instant now) {
        return new Write("insert into " + command + " (id, unit_id, kind, seq, description, target_type, bean_name,"
                + " method_name, param_types, payload, status, attempts, next_attempt_at, created_at, updated_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
                id, varchar(unitId), kind.column(), seq, truncate(description, 500), varchar(call == null ? null
                        : call.targetType()), varchar(call == null ? null : call.beanName()),
                varchar(call == null ? null : call.method()), varchar(call == null ? null : call.paramTypes()),
                varchar(call == null ? null : call.payload()), status.column(), ts(now), ts(now), ts(now));
    }

    /**
     * An outbox row claimed from the start by the instance that writes it, its first attempt counted, so that the
     * delivery right after commit needs no claim of its own (J3, J4).
     */
    Write claimedDispatchRow(String id, String description, RecordedCall call, String owner, Instant leaseUntil,
            Instant now) {
        return new Write("insert into " + command + " (id, kind, seq, description, target_type, bean_name,"
                + " method_name, param_types, payload, status, attempts, owner, lease_until, next_attempt_at,"
                + " created_at, updated_at) values (?, " + q(Kind.DISPATCH) + ", 0, ?, ?, ?, ?, ?, ?, "
                + q(Status.RUNNING) + ", 1, ?, ?, ?, ?, ?)",
                id, truncate(description, 500), call.targetType(), varchar(call.beanName()), call.method(),
                call.paramTypes(), call.payload(), owner, ts(leaseUntil), ts(now), ts(now), ts(now));
    }

    /**
     * Extends the lease of a dispatch claimed when it was written, unless another instance took it over meanwhile.
     *
     * @return {@code 0} when it is no longer this instance's to run
     */
    int renewClaim(String id, String owner, Instant leaseUntil, Instant now) {
        return writeOne("update " + command + " set lease_until = ?, updated_at = ? where id = ?"
                + " and status = " + q(Status.RUNNING) + " and owner = ?", ts(leaseUntil), ts(now), id, owner);
    }

    /**
     * Deletes an outbox row of the running business transaction, through the given template (that transaction): its
     * scope failed, so it must never be delivered.
     */
    void deleteUncommitted(JdbcTemplate jdbc, String id) {
        jdbc.update("delete from " + command + " where id = ? and status in " + in(Status.PENDING, Status.RUNNING), id);
    }

    /**
     * Deletes outbox rows this instance still holds whose transaction committed but whose scope did not: they must
     * never be delivered (D5).
     */
    void deleteClaimed(List<String> ids, String owner) {
        if (ids.isEmpty()) {
            return;
        }
        write(forIds("delete from " + command + " where kind = " + q(Kind.DISPATCH) + " and status = "
                + q(Status.RUNNING) + " and owner = ? and id"
                + " in", ids, owner));
    }

    /** Extends the claims this instance holds on the given outbox rows. */
    void renewClaims(List<String> ids, String owner, Instant leaseUntil, Instant now) {
        if (ids.isEmpty()) {
            return;
        }
        write(forIds("update " + command + " set lease_until = ?, updated_at = ? where status = "
                + q(Status.RUNNING) + " and owner"
                + " = ? and id in", ids, ts(leaseUntil), ts(now), owner));
    }

    /**
     * Claims one command for running, counting the attempt; {@code 0} when another instance has it or it is no longer
     * waiting.
     */
    int claim(String id, String owner, Instant leaseUntil, Instant now) {
        return writeOne("update " + command + " set status = " + q(Status.RUNNING) + ", attempts = attempts + 1,"
                + " owner = ?, lease_until = ?, updated_at = ? where id = ? and status = " + q(Status.PENDING), owner,
                ts(leaseUntil), ts(now), id);
    }

    /**
     * Marks a compensation as being run by recovery, counting the attempt before it is made, so that one that keeps
     * killing the instances running it still runs out of attempts.
     */
    void startAttempt(String id, String owner, Instant leaseUntil, Instant now) {
        writeOne("update " + command + " set status = " + q(Status.RUNNING) + ", attempts = attempts + 1, owner = ?,"
                + " lease_until = ?, updated_at = ? where id = ?", owner, ts(leaseUntil), ts(now), id);
    }

    void markDone(List<String> ids, Instant now) {
        write(doneRows(ids, now));
    }

    /** The writes that mark these commands done, to be written together with others. */
    List<Write> doneRows(List<String> ids, Instant now) {
        return forIds("update " + command + " set status = " + q(Status.DONE)
                + ", owner = null, lease_until = null, updated_at = ?"
                + " where id in", ids, ts(now));
    }

    /**
     * Records a failed attempt (counted when it was claimed): back to waiting until {@code nextAttemptAt}, or parked
     * with the given status.
     */
    void markFailed(String id, Status status, Instant nextAttemptAt, String error, Instant now) {
        writeOne("update " + command + " set status = ?, next_attempt_at = ?,"
                + " owner = null, lease_until = null, last_error = ?, updated_at = ? where id = ?", status.column(),
                ts(nextAttemptAt), truncate(error, 2000), ts(now), id);
    }

    /** Parks a command that cannot run, with the reason, without counting an attempt. */
    void park(String id, Status status, String reason, Instant now) {
        writeOne("update " + command + " set status = ?, owner = null, lease_until = null,"
                + " last_error = ?, updated_at = ? where id = ?", status.column(), truncate(reason, 2000), ts(now), id);
    }

    /**
     * Claims due dispatches, skipping rows other instances hold: first those whose claim expired (their instance
     * died), then waiting ones, oldest first (J3, J4). Two queries, so that each reads only its own part of the
     * {@code (kind, status, next_attempt_at)} index, however many finished rows the table keeps.
     */
    List<JournalEntry> claimDueDispatches(String owner, Instant now, Instant leaseUntil, int limit) {
        return own(jdbc -> {
            List<JournalEntry> rows = new ArrayList<>(jdbc.query("select " + COLUMNS + " from " + command
                    + " where kind = " + q(Kind.DISPATCH) + " and status = " + q(Status.RUNNING)
                    + " and lease_until < ? order by lease_until"
                    + " limit ?" + dialect.skipLocked(), ENTRY, ts(now), limit));
            if (rows.size() < limit) {
                rows.addAll(jdbc.query("select " + COLUMNS + " from " + command + " where kind = " + q(Kind.DISPATCH)
                        + " and status = " + q(Status.PENDING)
                        + " and next_attempt_at <= ? order by next_attempt_at limit ?"
                        + dialect.skipLocked(), ENTRY, ts(now), limit - rows.size()));
            }
            forIds("update " + command + " set status = " + q(Status.RUNNING) + ", attempts = attempts + 1, owner = ?,"
                    + " lease_until = ?, updated_at = ? where id in", rows.stream().map(JournalEntry::id).toList(),
                    owner, ts(leaseUntil), ts(now)).forEach(write -> write.to(jdbc));
            return rows;
        });
    }

    /**
     * Runs work again when the database chose it as a deadlock victim or its lock wait timed out (MariaDB/MySQL can
     * deadlock on secondary indexes even with SKIP LOCKED): giving up would look like "nothing due" or leave a
     * delivered dispatch unmarked.
     */
    private static <T> T retryingLockConflicts(java.util.function.Supplier<T> claim) {
        for (int attempt = 1; ; attempt++) {
            try {
                return claim.get();
            }
            catch (org.springframework.dao.PessimisticLockingFailureException conflict) {
                if (attempt >= 10) {
                    throw conflict;
                }
            }
        }
    }

    List<JournalEntry> compensationsOf(String unitId) {
        return own(jdbc -> jdbc.query("select " + COLUMNS + " from " + command + " where unit_id = ?"
                + " and kind = " + q(Kind.COMPENSATION) + " order by seq desc", ENTRY, unitId));
    }

    /**
     * Commands with the given status, oldest first.
     *
     * @param status e.g. {@link Status#DEAD}
     * @param limit  at most this many
     * @return the entries
     */
    public List<JournalEntry> findByStatus(Status status, int limit) {
        return own(jdbc -> jdbc.query("select " + COLUMNS + " from " + command + " where status = ?"
                + " order by created_at limit ?", ENTRY, status.column(), limit));
    }

    /**
     * One command.
     *
     * @param id its id
     * @return the entry, or {@code null}
     */
    public @Nullable JournalEntry find(String id) {
        List<JournalEntry> rows = own(jdbc -> jdbc.query("select " + COLUMNS + " from " + command + " where id = ?",
                ENTRY, id));
        return rows.isEmpty() ? null : rows.get(0);
    }

    /**
     * Counts commands by status.
     *
     * @param kind   compensation or dispatch
     * @param status the status
     * @return how many
     */
    public int count(Kind kind, Status status) {
        Integer count = own(jdbc -> jdbc.queryForObject("select count(*) from " + command
                + " where kind = ? and status = ?", Integer.class, kind.column(), status.column()));
        return count == null ? 0 : count;
    }

    /**
     * Units in the given state, oldest first: {@code FAILED} and {@code UNKNOWN} ones need a person.
     *
     * @param state the state
     * @param limit at most this many
     * @return the units
     */
    public List<JournalUnit> findUnits(State state, int limit) {
        return own(jdbc -> jdbc.query("select id, name, state, owner, lease_until, created_at from " + unit
                + " where state = ? order by created_at limit ?", (rs, row) -> new JournalUnit(rs.getString("id"),
                rs.getString("name"), State.ofColumn(rs.getString("state")), rs.getString("owner"),
                rs.getTimestamp("lease_until").toInstant(), rs.getTimestamp("created_at").toInstant()),
                state.column(), limit));
    }

    /**
     * Deletes what is finished and older than {@code before}: done, discarded and settled commands of finished units
     * (and done dispatches, and those a person resolved or discarded), then finished units without commands left,
     * with their markers. Nothing that needs a
     * person (dead, failed, parked, unknown) and nothing still running is deleted.
     *
     * @param before last update older than this
     * @return rows deleted
     */
    public int purgeFinished(Instant before) {
        String finished = in(State.COMMITTED, State.COMPENSATED, State.DISCARDED, State.RESOLVED, State.ABANDONED);
        return own(jdbc -> {
            int deleted = jdbc.update("delete from " + command + " where updated_at < ? and status in "
                    + in(Status.DONE, Status.DISCARDED, Status.SETTLED, Status.RESOLVED)
                    + " and (unit_id is null or unit_id in (select id from " + unit
                    + " where state in " + finished + "))", ts(before));
            deleted += jdbc.update("delete from " + marker + " where unit_id in (select id from " + unit
                    + " u where u.state in " + finished + " and u.updated_at < ? and not exists (select 1 from "
                    + command + " c where c.unit_id = u.id))", ts(before));
            deleted += jdbc.update("delete from " + unit + " where state in " + finished + " and updated_at < ?"
                    + " and not exists (select 1 from " + command + " c where c.unit_id = " + unit + ".id)",
                    ts(before));
            return deleted;
        });
    }

    /** Puts a parked or dead command back to waiting, due now, with fresh attempts; its unit too. */
    int retrigger(String id, Instant now) {
        return own(jdbc -> {
            int updated = jdbc.update("update " + command + " set status = " + q(Status.PENDING) + ", attempts = 0,"
                    + " next_attempt_at = ?, last_error = null, updated_at = ? where id = ?"
                    + " and status in " + in(Status.DEAD, Status.FAILED, Status.PARKED), ts(now), ts(now), id);
            if (updated > 0) {
                jdbc.update("update " + unit + " set state = " + q(State.ABORTED)
                        + ", lease_until = ?, updated_at = ? where id ="
                        + " (select unit_id from " + command + " where id = ?) and state = " + q(State.FAILED), ts(now),
                        ts(now), id);
            }
            return updated;
        });
    }

    // ---------------------------------------------------------------- operations (O1)

    /**
     * A journaled scope as the operations view lists it: a unit, or a dispatch (which belongs to no unit).
     *
     * @param id        the unit's or the dispatch's id
     * @param name      the unit's name, or the dispatch's description
     * @param state     the unit's state, or the dispatch's status
     * @param createdAt when it was journaled
     * @param updatedAt when it last changed
     * @param dispatch  whether it is a dispatch
     */
    record ScopeRow(String id, String name, String state, Instant createdAt, Instant updatedAt, boolean dispatch) {
    }

    private static final String UNIT_ROW = "select id, name, state, created_at, updated_at from ";
    private static final String DISPATCH_ROW = "select id, description, status, created_at, updated_at from ";

    private static RowMapper<ScopeRow> scopeRow(boolean dispatch) {
        return (rs, row) -> new ScopeRow(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(), dispatch);
    }

    /**
     * Units in the given states and dispatches with the given statuses, each newest first, at most {@code limit} of
     * each; the ages bound when they were journaled.
     */
    List<ScopeRow> findScopeRows(java.util.Collection<State> unitStates, java.util.Collection<Status> dispatchStatuses,
            @Nullable Instant createdBefore, @Nullable Instant createdAfter, int limit) {
        return own(jdbc -> {
            List<ScopeRow> rows = new ArrayList<>();
            if (!unitStates.isEmpty()) {
                List<Object> args = new ArrayList<>(unitStates.stream().map(State::column).toList());
                rows.addAll(jdbc.query(UNIT_ROW + unit + " where state in (" + placeholders(unitStates.size()) + ")"
                        + ages(createdBefore, createdAfter, args) + " order by created_at desc limit ?",
                        scopeRow(false), withLimit(args, limit)));
            }
            if (!dispatchStatuses.isEmpty()) {
                List<Object> args = new ArrayList<>(dispatchStatuses.stream().map(Status::column).toList());
                rows.addAll(jdbc.query(DISPATCH_ROW + command + " where kind = " + q(Kind.DISPATCH)
                        + " and unit_id is null"
                        + " and status in (" + placeholders(dispatchStatuses.size()) + ")"
                        + ages(createdBefore, createdAfter, args) + " order by created_at desc limit ?",
                        scopeRow(true), withLimit(args, limit)));
            }
            return rows;
        });
    }

    private static String ages(@Nullable Instant createdBefore, @Nullable Instant createdAfter, List<Object> args) {
        StringBuilder sql = new StringBuilder();
        if (createdBefore != null) {
            sql.append(" and created_at <= ?");
            args.add(ts(createdBefore));
        }
        if (createdAfter != null) {
            sql.append(" and created_at >= ?");
            args.add(ts(createdAfter));
        }
        return sql.toString();
    }

    private static Object[] withLimit(List<Object> args, int limit) {
        args.add(limit);
        return args.toArray();
    }

    /** The unit with this id, or else the dispatch with this id; {@code null} when neither exists. */
    @Nullable ScopeRow findScopeRow(String id) {
        return own(jdbc -> {
            List<ScopeRow> units = jdbc.query(UNIT_ROW + unit + " where id = ?", scopeRow(false), id);
            if (!units.isEmpty()) {
                return units.get(0);
            }
            List<ScopeRow> dispatches = jdbc.query(DISPATCH_ROW + command + " where id = ? and kind = "
                    + q(Kind.DISPATCH)
                    + " and unit_id is null", scopeRow(true), id);
            return dispatches.isEmpty() ? null : dispatches.get(0);
        });
    }

    /** How many units are in each state. */
    java.util.Map<String, Long> countUnitStates() {
        return own(jdbc -> counts(jdbc, "select state, count(*) from " + unit + " group by state"));
    }

    /** How many dispatches have each status. */
    java.util.Map<String, Long> countDispatchStatuses() {
        return own(jdbc -> counts(jdbc, "select status, count(*) from " + command + " where kind = " + q(Kind.DISPATCH)
                + " and unit_id is null group by status"));
    }

    private static java.util.Map<String, Long> counts(JdbcTemplate jdbc, String sql) {
        java.util.Map<String, Long> counts = new java.util.HashMap<>();
        jdbc.query(sql, (ResultSet rs) -> {
            counts.put(rs.getString(1), rs.getLong(2));
        });
        return counts;
    }

    /**
     * Closes a unit that needs a person ({@code FAILED} or {@code UNKNOWN}) by a person's decision: the unit takes
     * {@code unitState}, and its compensations that did not run take {@code commandStatus} with {@code text} in front
     * of their last error.
     *
     * @return whether the unit was waiting for a person and is now closed
     */
    boolean closeUnitByPerson(String unitId, State unitState, Status commandStatus, String text, Instant now) {
        return own(jdbc -> {
            if (jdbc.update("update " + unit + " set state = ?, updated_at = ? where id = ? and state in "
                    + in(State.FAILED, State.UNKNOWN), unitState.column(), ts(now), unitId) == 0) {
                return false;
            }
            List<JournalEntry> open = jdbc.query("select " + COLUMNS + " from " + command + " where unit_id = ?"
                    + " and status in " + in(Status.PENDING, Status.RUNNING,
                    Status.LAMBDA, Status.FAILED, Status.PARKED, Status.DEAD), ENTRY, unitId);
            for (JournalEntry entry : open) {
                closeCommand(jdbc, entry, commandStatus, text, now);
            }
            return true;
        });
    }

    /**
     * Closes a dead dispatch by a person's decision: it takes {@code commandStatus} with {@code text} in front of its
     * last error.
     *
     * @return whether the dispatch was dead and is now closed
     */
    boolean closeDispatchByPerson(String id, Status commandStatus, String text, Instant now) {
        return own(jdbc -> {
            List<JournalEntry> dead = jdbc.query("select " + COLUMNS + " from " + command + " where id = ?"
                    + " and kind = " + q(Kind.DISPATCH) + " and status = " + q(Status.DEAD), ENTRY, id);
            return !dead.isEmpty() && closeCommand(jdbc, dead.get(0), commandStatus, text, now);
        });
    }

    private boolean closeCommand(JdbcTemplate jdbc, JournalEntry entry, Status status, String text, Instant now) {
        String error = entry.lastError() == null ? text : text + " (was: " + entry.lastError() + ")";
        return jdbc.update("update " + command + " set status = ?, owner = null, lease_until = null, last_error = ?,"
                + " updated_at = ? where id = ? and status = ?", status.column(), truncate(error, 2000), ts(now),
                entry.id(), entry.status().column()) > 0;
    }

    private static final RowMapper<JournalEntry> ENTRY = (ResultSet rs, int row) -> {
        String targetType = rs.getString("target_type");
        RecordedCall call = targetType == null ? null : new RecordedCall(targetType, rs.getString("bean_name"),
                nonNull(rs.getString("method_name")), nonNull(rs.getString("param_types")),
                nonNull(rs.getString("payload")));
        Timestamp next = rs.getTimestamp("next_attempt_at");
        return new JournalEntry(rs.getString("id"), rs.getString("unit_id"), Kind.ofColumn(rs.getString("kind")),
                rs.getInt("seq"), rs.getString("description"), call, Status.ofColumn(rs.getString("status")),
                rs.getInt("attempts"),
                next == null ? Instant.EPOCH : next.toInstant(), rs.getString("last_error"));
    };

    /** A string that may be {@code null}, typed so that the driver need not ask the database for its type. */
    private static SqlParameterValue varchar(@Nullable String value) {
        return new SqlParameterValue(Types.VARCHAR, value);
    }

    private static String nonNull(@Nullable String value) {
        return value == null ? "" : value;
    }

    /**
     * The statement once per 500 ids (none for none): {@code sql} ends where the list of ids goes
     * ({@code "... id in"}), {@code leading} are the arguments that come before the ids.
     */
    private static List<Write> forIds(String sql, List<String> ids, Object... leading) {
        List<Write> writes = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            List<Object> args = new ArrayList<>(java.util.Arrays.asList(leading));
            args.addAll(chunk);
            writes.add(new Write(sql + " (" + placeholders(chunk.size()) + ")", args.toArray()));
        }
        return writes;
    }

    /** A fixed value as an SQL literal. */
    private static String q(ColumnValue value) {
        return ColumnValue.literal(value);
    }

    /** A parenthesised list of fixed values, for {@code in}. */
    private static String in(ColumnValue... values) {
        StringBuilder list = new StringBuilder("(");
        for (ColumnValue value : values) {
            list.append(list.length() > 1 ? ", " : "").append(q(value));
        }
        return list.append(')').toString();
    }

    private static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    static boolean isDatabaseFailure(Throwable failure) {
        return failure instanceof DataAccessException;
    }
}
