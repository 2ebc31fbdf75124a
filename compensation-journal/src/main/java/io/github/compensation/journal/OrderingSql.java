package io.github.compensation.journal;

import io.github.compensation.journal.JournalEntry.Kind;
import io.github.compensation.journal.JournalEntry.Status;

/**
 * The SQL conditions that keep the dispatches of one ordering key in order (M2), shared by the claims of
 * {@link JournalStore}: which rows of the same key stand in the way of a row. Stateless.
 */
final class OrderingSql {

    private OrderingSql() {
    }

    /**
     * A condition, to append after {@code where ...}, that holds for a row (aliased {@code alias}) without an ordering
     * key, or whose key has no other row claimed with a live lease and no earlier row that waits, runs under an
     * expired claim or, when {@code deadBlocksKey}, is dead. It takes one parameter: the current time.
     */
    static String keyFree(String command, String alias, boolean deadBlocksKey) {
        String earlier = "(e.ordering_seq < " + alias + ".ordering_seq or (e.ordering_seq = " + alias
                + ".ordering_seq and e.id < " + alias + ".id))";
        String waiting = deadBlocksKey
                ? "(" + ColumnValue.literal(Status.PENDING) + ", " + ColumnValue.literal(Status.DEAD) + ")"
                : "(" + ColumnValue.literal(Status.PENDING) + ")";
        return " and (" + alias + ".ordering_key is null or not exists (select 1 from " + command + " e"
                + " where e.ordering_key = " + alias + ".ordering_key and e.id <> " + alias + ".id and e.kind = "
                + ColumnValue.literal(Kind.DISPATCH) + " and ((e.status = " + ColumnValue.literal(Status.RUNNING)
                + " and (e.lease_until >= ? or " + earlier + ")) or (e.status in " + waiting + " and " + earlier
                + "))))";
    }

    /**
     * A condition that holds when a dispatch about to be delivered right after commit would overtake or run beside
     * another of its key: an earlier one is unfinished (waiting, claimed, or dead when {@code deadBlocksKey}), or
     * another instance holds a live claim on one. Parameters: the key, the dispatch's id, its sequence twice, its id,
     * this instance, the current time. Written as a derived table with a limit so that MySQL and MariaDB accept it in
     * an update of the same table.
     */
    static String inTheWay(String command, boolean deadBlocksKey) {
        String unfinished = "(" + ColumnValue.literal(Status.PENDING) + ", " + ColumnValue.literal(Status.RUNNING)
                + (deadBlocksKey ? ", " + ColumnValue.literal(Status.DEAD) : "") + ")";
        return "exists (select 1 from (select e.id from " + command + " e where e.ordering_key = ? and e.id <> ?"
                + " and e.kind = " + ColumnValue.literal(Kind.DISPATCH) + " and ((e.status in " + unfinished
                + " and (e.ordering_seq < ? or (e.ordering_seq = ? and e.id < ?))) or (e.status = "
                + ColumnValue.literal(Status.RUNNING) + " and e.owner <> ? and e.lease_until >= ?)) limit 1) busy)";
    }
}
