package io.github.compensation.journal;

/**
 * What a unit's marker row says about its business transaction (J2). Written inside the business transaction, or by
 * recovery on its own connection; the primary key on the unit's id lets only one of the two exist.
 */
public enum Verdict implements ColumnValue {

    /** Written inside the business transaction: it exists if and only if that transaction committed. */
    COMMITTED("C"),

    /** Written by recovery: the business transaction never committed, and now never can. */
    ABORTED("A");

    private final String column;

    Verdict(String column) {
        this.column = column;
    }

    @Override
    public String column() {
        return column;
    }

    /**
     * @param column the stored value
     * @return the verdict stored as {@code column}
     */
    public static Verdict ofColumn(String column) {
        return ColumnValue.of(Verdict.class, column);
    }
}
