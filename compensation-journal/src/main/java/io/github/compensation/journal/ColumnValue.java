package io.github.compensation.journal;

import java.util.Locale;

/**
 * A status, state or kind as written to the journal's tables: the one place where an enum constant and its column
 * value are mapped to each other. The value is the constant's name, so that rows read plainly in SQL.
 */
interface ColumnValue {

    /**
     * @return the value stored in the column
     */
    String name();

    /**
     * @return the value stored in the column
     */
    default String column() {
        return name();
    }

    /** The constant of {@code type} stored as {@code column}. */
    static <E extends Enum<E> & ColumnValue> E of(Class<E> type, String column) {
        for (E constant : type.getEnumConstants()) {
            if (constant.column().equals(column)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("Unknown " + type.getSimpleName().toLowerCase(Locale.ROOT) + " '" + column
                + "' in the journal's tables");
    }

    /** The value as an SQL literal, for statements that name fixed statuses. */
    static String literal(ColumnValue value) {
        return "'" + value.column() + "'";
    }
}
