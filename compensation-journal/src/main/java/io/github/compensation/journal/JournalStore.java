package io.github.compensation.journal;

import io.github.compensation.journal.JournalConnections.Write;
import io.github.compensation.journal.JournalEntry.Kind;
import io.github.compensation.journal.JournalEntry.Status;
import io.github.compensation.journal.JournalUnit.State;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.SqlParameterValue;

/**
 * The JDBC {@link JournalRepository}: every SQL statement of the journal, for the {@link Dialect} in use. How it
 * reaches the database (a connection of its own, committed at once, or the business transaction bound to the thread)
 * is {@link JournalConnections}' business; concurrent write-aheads share commits through {@link GroupCommit}.
 * Thread-safe.
 */
public class JournalStore implements JournalRepository {


    private static final String COLUMNS = "id, unit_id, kind, seq, description, target_type, bean_name, method_name,"
            + " param_types, payload, status, attempts, next_attempt_at, last_error";

    private final DataSource dataSource;
    private final Dialect dialect;
    private final String unit;
    private final String marker;
    private final String command;
    private final JournalConnections connections;
    // the statements of the caller's path, built once
    private final String insertUnitSql;
    private final String insertMarkerSql;
    private final String insertCommandSql;
    private final String insertClaimedDispatchSql;
    private final String finishUnitSql;
    private final String finishCommandsSql;
    private final String markDoneSql;
    private final String settleUnitsSql;
    private final String settleUnitCommandsSql;
    private final GroupCommit groupCommit;
    private final String note;
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
        this.note = prefix + "note";
        this.connections = new JournalConnections(dataSource, dialect);
        this.business = connections.business();
        this.groupCommit = new GroupCommit(connections::write);
        this.insertUnitSql = "insert into " + unit + " (id, name, state, owner, lease_until, created_at, updated_at)"
                + " values (?, ?, " + q(State.OPEN) + ", ?, ?, ?, ?)";
        this.insertMarkerSql = "insert into " + marker + " (unit_id, verdict, created_at) values (?, ?, ?)";
        this.insertCommandSql = "insert into " + command + " (id, unit_id, kind, seq, description, target_type,"
                + " bean_name, method_name, param_types, payload, status, attempts, next_attempt_at, created_at,"
                + " updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)";
        this.insertClaimedDispatchSql = "insert into " + command + " (id, kind, seq, description, target_type,"
                + " bean_name, method_name, param_types, payload, status, attempts, owner, lease_until,"
                + " ordering_key, ordering_seq, next_attempt_at, created_at, updated_at) values (?, "
                + q(Kind.DISPATCH) + ", 0, ?, ?, ?, ?, ?, ?, " + q(Status.RUNNING) + ", 1, ?, ?, ?, ?, ?, ?, ?)";
        this.finishUnitSql = "update " + unit + " set state = ?, updated_at = ? where id = ?";
        this.finishCommandsSql = "update " + command + " set status = case when status = " + q(Status.LAMBDA)
                + " then ? else ? end, updated_at = ? where unit_id = ? and status in "
                + in(Status.PENDING, Status.RUNNING, Status.LAMBDA);
        // The settlement's guards on state and status are written as "not in" the other values, which no index can
        // serve, so that the primary key drives these updates. Written as "state = 'OPEN'" or "status in (...)", they
        // led PostgreSQL to read the state and status indexes whole, which under steady load hold many entries of
        // rows updated since (103,312 read for one batch of 500 in benchmark case 6b).
        this.settleUnitsSql = "update " + unit + " set state = " + q(State.COMMITTED) + ", updated_at = ? where state"
                + " not in " + in(EnumSet.complementOf(EnumSet.of(State.OPEN))) + " and id in";
        this.settleUnitCommandsSql = "update " + command + " set status = case when status = " + q(Status.LAMBDA)
                + " then " + q(Status.SETTLED) + " else " + q(Status.DISCARDED) + " end, updated_at = ?"
                + " where status not in "
                + in(EnumSet.complementOf(EnumSet.of(Status.PENDING, Status.RUNNING, Status.LAMBDA))) + " and id in";
        this.markDoneSql = "update " + command + " set status = " + q(Status.DONE) + ", owner = null,"
                + " lease_until = null, updated_at = ? where id in";
    }

    /** The write-aheads' group commit, for tests. */
    GroupCommit groupCommit() {
        return groupCommit;
    }

    /** @return the data source */
    public DataSource dataSource() {
        return dataSource;
    }

    /** @return the dialect */
    public Dialect dialect() {
        return dialect;
    }

    /** Runs work on a connection of its own, committed at the end (see {@link JournalConnections#own}). */
    private <T> T own(Function<JdbcTemplate, T> work) {
        return connections.own(work);
    }

    private <T> T once(Function<JdbcTemplate, T> work) {
        return connections.once(work);
    }

    private int writeOne(String sql, Object... args) {
        return connections.writeOne(sql, args);
    }

    private void write(List<Write> writes) {
        connections.write(writes);
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    // ---------------------------------------------------------------- units and markers (J2)

    @Override
    public void writeAhead(@Nullable NewUnit unit, NewCompensation compensation, Instant now) {
        Write row = commandRow(compensation.id(), compensation.unitId(), Kind.COMPENSATION, compensation.seq(),
                compensation.description(), compensation.call(), compensation.status(), now);
        groupCommit.write(unit == null ? List.of(row)
                : List.of(unitRow(unit.id(), unit.name(), unit.owner(), unit.leaseUntil(), now), row));
    }

    @Override
    public void writeAtCommitInTransaction(List<String> committedUnits, List<NewDispatch> dispatches, Instant now) {
        List<Write> writes = new ArrayList<>(committedUnits.size() + dispatches.size());
        Timestamp at = ts(now);
        for (String unitId : committedUnits) {
            writes.add(new Write(insertMarkerSql, unitId, Verdict.COMMITTED.column(), at));
        }
        for (NewDispatch dispatch : dispatches) {
            writes.add(claimedDispatchRow(dispatch, now));
        }
        if (writes.isEmpty()) {
            return;
        }
        if (writes.size() == 1 || dialect != Dialect.POSTGRESQL) {
            writes.forEach(write -> write.to(business));
        }
        else {
            Write.joined(writes).to(business);
        }
    }

    @Override
    public boolean inBusinessTransaction() {
        return connections.inBusinessTransaction();
    }

    @Override
    public @Nullable Object currentTransaction() {
        return connections.currentTransaction();
    }

    @Override
    public void settleCommitted(List<String> delivered, List<String> committedUnits,
            List<String> discardedCompensations, Instant now) {
        List<Write> writes = new ArrayList<>(doneRows(delivered, now));
        writes.addAll(forIds(settleUnitsSql, committedUnits, ts(now)));
        writes.addAll(forIds(settleUnitCommandsSql, discardedCompensations, ts(now)));
        write(writes);
    }

    @Override
    public void insertDispatchInTransaction(NewDispatch dispatch, Instant now) {
        claimedDispatchRow(dispatch, now).to(business);
    }

    @Override
    public void insertDispatch(NewDispatch dispatch, Instant now) {
        write(List.of(claimedDispatchRow(dispatch, now)));
    }

    @Override
    public void deleteDispatchInTransaction(String id) {
        deleteUncommitted(business, id);
    }

    /** An open unit, leased to {@code owner}. */
    private Write unitRow(String id, String name, String owner, Instant leaseUntil, Instant now) {
        Timestamp at = ts(now);
        return new Write(insertUnitSql, id, truncate(name, 255), owner, ts(leaseUntil), at, at);
    }

    void insertMarker(JdbcTemplate jdbc, String unitId, Verdict verdict, Instant now) {
        jdbc.update(insertMarkerSql, unitId, verdict.column(), ts(now));
    }

    /**
     * Decides a unit's fate for good: inserts an {@link Verdict#ABORTED} marker unless the business transaction
     * inserted its {@link Verdict#COMMITTED} one. While that transaction is still running, the insert waits on its
     * uncommitted row, so the answer is never a guess; after the timeout this returns {@code null}.
     */
    @Override
    public @Nullable Verdict fence(String unitId, Instant now, int timeoutSeconds) {
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
    @Override
    public Verdict commitOwnMarker(String unitId, Instant now) {
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

    @Override
    public int renewUnits(List<String> ids, String owner, Instant leaseUntil, Instant now) {
        if (ids.isEmpty()) {
            return 0;
        }
        List<Write> writes = forIds("update " + unit + " set lease_until = ?, updated_at = ? where owner = ?"
                + " and state = " + q(State.OPEN) + " and id in", ids, ts(leaseUntil), ts(now), owner);
        return own(jdbc -> writes.stream().mapToInt(write -> write.to(jdbc)).sum());
    }

    /** Sets a unit's final state and what becomes of its commands still waiting. */
    @Override
    public void finishUnit(String unitId, State state, Status pendingBecomes, Status lambdaBecomes, Instant now) {
        write(finishUnitRows(unitId, state, pendingBecomes, lambdaBecomes, now));
    }

    /** The writes of {@link #finishUnit}, to be written together with others. */
    private List<Write> finishUnitRows(String unitId, State state, Status pendingBecomes, Status lambdaBecomes,
            Instant now) {
        return List.of(new Write(finishUnitSql, state.column(), ts(now), unitId),
                new Write(finishCommandsSql, lambdaBecomes.column(), pendingBecomes.column(), ts(now), unitId));
    }

    @Override
    public void setUnitState(String unitId, State state, Instant leaseUntil, Instant now) {
        writeOne("update " + unit + " set state = ?, lease_until = ?, updated_at = ? where id = ?",
                state.column(), ts(leaseUntil), ts(now), unitId);
    }

    /** Claims units whose lease expired: open ones (their owner died) and aborted ones being compensated (J4). */
    @Override
    public List<String> claimDueUnits(String owner, Instant now, Instant leaseUntil, int limit) {
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

    @Override
    public @Nullable State unitState(String unitId) {
        List<String> states = own(jdbc -> jdbc.queryForList("select state from " + unit + " where id = ?",
                String.class, unitId));
        return states.isEmpty() ? null : State.ofColumn(states.get(0));
    }

    // ---------------------------------------------------------------- commands

    /** A command waiting to run, due now. */
    private Write commandRow(String id, @Nullable String unitId, Kind kind, int seq, String description,
            @Nullable RecordedCall call, Status status, Instant now) {
        Timestamp at = ts(now);
        return new Write(insertCommandSql, id, varchar(unitId), kind.column(), seq, truncate(description, 500),
                varchar(call == null ? null : call.targetType()), varchar(call == null ? null : call.beanName()),
                varchar(call == null ? null : call.method()), varchar(call == null ? null : call.paramTypes()),
                varchar(call == null ? null : call.payload()), status.column(), at, at, at);
    }

    /**
     * An outbox row claimed from the start by the instance that writes it, its first attempt counted, so that the
     * delivery right after commit needs no claim of its own (J3, J4).
     */
    private Write claimedDispatchRow(NewDispatch dispatch, Instant now) {
        String id = dispatch.id();
        RecordedCall call = dispatch.call();
        Timestamp at = ts(now);
        String orderingKey = dispatch.orderingKey();
        return new Write(insertClaimedDispatchSql, id, truncate(dispatch.description(), 500), call.targetType(),
                varchar(call.beanName()), call.method(), call.paramTypes(), call.payload(), dispatch.owner(),
                ts(dispatch.leaseUntil()), varchar(orderingKey),
                new SqlParameterValue(Types.BIGINT, orderingKey == null ? null : dispatch.orderingSeq()), at, at, at);
    }

    /**
     * Extends the lease of a dispatch claimed when it was written, unless another instance took it over meanwhile.
     *
     * @return {@code 0} when it is no longer this instance's to run
     */
    @Override
    public int renewClaim(String id, String owner, Instant leaseUntil, Instant now) {
        return writeOne("update " + command + " set lease_until = ?, updated_at = ? where id = ?"
                + " and status = " + q(Status.RUNNING) + " and owner = ?", ts(leaseUntil), ts(now), id, owner);
    }

    /**
     * Deletes an outbox row of the running business transaction, through the given template (that transaction): its
     * scope failed, so it must never be delivered.
     */
    private void deleteUncommitted(JdbcTemplate jdbc, String id) {
        jdbc.update("delete from " + command + " where id = ? and status in " + in(Status.PENDING, Status.RUNNING), id);
    }

    /**
     * Deletes outbox rows this instance still holds whose transaction committed but whose scope did not: they must
     * never be delivered (D5).
     */
    @Override
    public void deleteClaimed(List<String> ids, String owner) {
        if (ids.isEmpty()) {
            return;
        }
        write(forIds("delete from " + command + " where kind = " + q(Kind.DISPATCH) + " and status = "
                + q(Status.RUNNING) + " and owner = ? and id"
                + " in", ids, owner));
    }

    /** Extends the claims this instance holds on the given outbox rows. */
    @Override
    public void renewClaims(List<String> ids, String owner, Instant leaseUntil, Instant now) {
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
    @Override
    public int claim(String id, String owner, Instant leaseUntil, Instant now) {
        return writeOne("update " + command + " set status = " + q(Status.RUNNING) + ", attempts = attempts + 1,"
                + " owner = ?, lease_until = ?, updated_at = ? where id = ? and status = " + q(Status.PENDING), owner,
                ts(leaseUntil), ts(now), id);
    }

    /**
     * Marks a compensation as being run by recovery, counting the attempt before it is made, so that one that keeps
     * killing the instances running it still runs out of attempts.
     */
    @Override
    public int startAttempt(String id, String owner, Instant leaseUntil, Instant now) {
        return writeOne("update " + command + " set status = " + q(Status.RUNNING) + ", attempts = attempts + 1,"
                + " owner = ?, lease_until = ?, updated_at = ? where id = ? and (status <> " + q(Status.RUNNING)
                + " or owner is null or owner = ? or lease_until is null or lease_until < ?)", owner, ts(leaseUntil),
                ts(now), id, owner, ts(now));
    }

    @Override
    public void markDone(List<String> ids, Instant now) {
        write(doneRows(ids, now));
    }

    /** The writes that mark these commands done, to be written together with others. */
    private List<Write> doneRows(List<String> ids, Instant now) {
        return forIds(markDoneSql, ids, ts(now));
    }

    /**
     * Records a failed attempt (counted when it was claimed): back to waiting until {@code nextAttemptAt}, or parked
     * with the given status.
     */
    @Override
    public void markFailed(String id, Status status, Instant nextAttemptAt, String error, Instant now) {
        writeOne("update " + command + " set status = ?, next_attempt_at = ?,"
                + " owner = null, lease_until = null, last_error = ?, updated_at = ? where id = ?", status.column(),
                ts(nextAttemptAt), truncate(error, 2000), ts(now), id);
    }

    /** Parks a command that cannot run, with the reason, without counting an attempt. */
    @Override
    public void park(String id, Status status, String reason, Instant now) {
        writeOne("update " + command + " set status = ?, owner = null, lease_until = null,"
                + " last_error = ?, updated_at = ? where id = ?", status.column(), truncate(reason, 2000), ts(now), id);
    }

    /**
     * Claims due dispatches, skipping rows other instances hold: first those whose claim expired (their instance
     * died), then waiting ones, oldest first (J3, J4). Two queries, so that each reads only its own part of the
     * {@code (kind, status, next_attempt_at)} index, however many finished rows the table keeps.
     */
    @Override
    public List<JournalEntry> claimDueDispatches(String owner, Instant now, Instant leaseUntil, int limit,
            boolean deadBlocksKey) {
        String keyFree = OrderingSql.keyFree(command, "c", deadBlocksKey);
        return own(jdbc -> {
            List<JournalEntry> rows = new ArrayList<>(jdbc.query("select " + COLUMNS + " from " + command
                    + " c where kind = " + q(Kind.DISPATCH) + " and status = " + q(Status.RUNNING)
                    + " and lease_until < ?" + keyFree + " order by lease_until"
                    + " limit ?" + dialect.skipLocked(), ENTRY, ts(now), limit));
            if (rows.size() < limit) {
                rows.addAll(jdbc.query("select " + COLUMNS + " from " + command + " c where kind = "
                        + q(Kind.DISPATCH) + " and status = " + q(Status.PENDING)
                        + " and next_attempt_at <= ?" + keyFree + " order by next_attempt_at limit ?"
                        + dialect.skipLocked(), ENTRY, ts(now), limit - rows.size()));
            }
            forIds("update " + command + " set status = " + q(Status.RUNNING) + ", attempts = attempts + 1, owner = ?,"
                    + " lease_until = ?, updated_at = ? where id in", rows.stream().map(JournalEntry::id).toList(),
                    owner, ts(leaseUntil), ts(now)).forEach(write -> write.to(jdbc));
            return rows;
        });
    }

    @Override
    public boolean yieldToSameKey(String id, String owner, String orderingKey, long orderingSeq,
            boolean deadBlocksKey, Instant now) {
        return writeOne("update " + command + " set status = " + q(Status.PENDING) + ", attempts = attempts - 1,"
                + " owner = null, lease_until = null, next_attempt_at = ?, updated_at = ? where id = ? and owner = ?"
                + " and status = " + q(Status.RUNNING) + " and " + OrderingSql.inTheWay(command, deadBlocksKey),
                ts(now), ts(now), id, owner, orderingKey, id, orderingSeq, orderingSeq, id, owner, ts(now)) > 0;
    }

    @Override
    public List<JournalEntry> compensationsOf(String unitId) {
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
    @Override
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
    @Override
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
    @Override
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
    @Override
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
    @Override
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
            deleted += jdbc.update("delete from " + note + " where created_at < ? and not exists (select 1 from "
                    + unit + " u where u.id = " + note + ".scope_id) and not exists (select 1 from " + command
                    + " c where c.id = " + note + ".scope_id)", ts(before));
            return deleted;
        });
    }

    /** Puts a parked or dead command back to waiting, due now, with fresh attempts; its unit too. */
    @Override
    public int retrigger(String id, Instant now) {
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
    @Override
    public List<ScopeRow> findScopeRows(java.util.Collection<State> unitStates,
            java.util.Collection<Status> dispatchStatuses,
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
    @Override
    public @Nullable ScopeRow findScopeRow(String id) {
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
    @Override
    public java.util.Map<String, Long> countUnitStates() {
        return own(jdbc -> counts(jdbc, "select state, count(*) from " + unit + " group by state"));
    }

    /** How many dispatches have each status. */
    @Override
    public java.util.Map<String, Long> countDispatchStatuses() {
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
    @Override
    public boolean closeUnitByPerson(String unitId, State unitState, Status commandStatus, String text, Instant now) {
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
    @Override
    public boolean closeDispatchByPerson(String id, Status commandStatus, String text, Instant now) {
        return own(jdbc -> {
            List<JournalEntry> dead = jdbc.query("select " + COLUMNS + " from " + command + " where id = ?"
                    + " and kind = " + q(Kind.DISPATCH) + " and status = " + q(Status.DEAD), ENTRY, id);
            return !dead.isEmpty() && closeCommand(jdbc, dead.get(0), commandStatus, text, now);
        });
    }

    @Override
    public void addNote(NoteRow row) {
        writeOne("insert into " + note + " (id, scope_id, created_at, author, action, note, retried,"
                + " scope_updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)", java.util.UUID.randomUUID().toString(),
                row.scopeId(), ts(row.at()), truncate(row.author(), 255), row.action(),
                varchar(row.note() == null ? null : truncate(row.note(), 2000)),
                varchar(row.retried() == null ? null : truncate(row.retried(), 4000)), ts(row.scopeUpdatedAt()));
    }

    @Override
    public List<NoteRow> notesOf(String scopeId) {
        return own(jdbc -> jdbc.query("select scope_id, created_at, author, action, note, retried, scope_updated_at"
                + " from " + note + " where scope_id = ? order by created_at, id", (rs, i) -> new NoteRow(
                        rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant()), scopeId));
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
    private static String in(Collection<? extends ColumnValue> values) {
        return in(values.toArray(ColumnValue[]::new));
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
