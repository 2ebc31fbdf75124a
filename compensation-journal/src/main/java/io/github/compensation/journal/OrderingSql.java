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
     * key, or whose key has no earlier row (lower sequence, then lower id) that waits, is claimed (with a live or an
     * expired lease) or, when {@code deadBlocksKey}, is dead. A later row claimed when it was written does not hold
     * an earlier one back: it yields to it before it is delivered.
     */
    static String keyFree(String command, String alias, boolean deadBlocksKey) {
        String earlier = "(e.ordering_seq < " + alias + ".ordering_seq or (e.ordering_seq = " + alias
                + ".ordering_seq and e.id < " + alias + ".id))";
        return " and (" + alias + ".ordering_key is null or not exists (select 1 from " + command + " e"
                + " where e.ordering_key = " + alias + ".ordering_key and e.kind = " + ColumnValue.literal(Kind.DISPATCH)
                + " and e.status in " + unfinished(deadBlocksKey)
                + " and " + earlier + "))";
    }

    /**
     * A condition that holds when a dispatch about to be delivered right after commit would overtake or run beside
     * another of its key: an earlier one is unfinished (waiting, claimed, or dead when {@code deadBlocksKey}), or
     * another instance holds a live claim on one. Parameters: the key, the dispatch's id, its sequence twice, its id,
     * this instance, the current time. Written as a derived table with a limit so that MySQL and MariaDB accept it in
     * an update of the same table.
     */
    static String inTheWay(String command, boolean deadBlocksKey) {
        return "exists (select 1 from (select e.id from " + command + " e where e.ordering_key = ? and e.id <> ?"
                + " and e.kind = " + ColumnValue.literal(Kind.DISPATCH)
                + " and ((e.status in " + unfinished(deadBlocksKey)
                + " and (e.ordering_seq < ? or (e.ordering_seq = ? and e.id < ?))) or (e.status = "
                + ColumnValue.literal(Status.RUNNING) + " and e.owner <> ? and e.lease_until >= ?)) limit 1) busy)";
    }

    /** The statuses of a row that holds later rows of its key back: waiting, claimed, and dead when asked. */
    private static String unfinished(boolean deadBlocksKey) {
        return "(" + ColumnValue.literal(Status.PENDING) + ", " + ColumnValue.literal(Status.RUNNING)
                + (deadBlocksKey ? ", " + ColumnValue.literal(Status.DEAD) : "") + ")";
    }
}
