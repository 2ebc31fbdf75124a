package io.github.compensation.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Creates the journal's tables from the dialect's script (clause J5): the Flyway repeatable migration the module ships
 * for that database ({@link Dialect#schemaLocation()}), with the configured table prefix in place of the default one.
 * The scripts only create what is missing, so running them at every start is safe.
 */
public final class JournalSchema {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /**
     * Where the scripts name one of the journal's tables or indexes: the default prefix {@code compensation_} at the
     * start of a word, followed by a table's name, alone or with an index's suffix. Column names and anything else
     * that merely contains the prefix are left alone.
     */
    private static final Pattern DEFAULT_PREFIX = Pattern.compile(
            "\\bcompensation_(?=(?:unit|marker|command|note)(?:_\\w*)?\\b)");
    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(5);
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private JournalSchema() {
    }

    /**
     * Checks a table prefix: letters, digits and underscores, not starting with a digit.
     *
     * @param prefix the prefix
     * @return the prefix
     * @throws IllegalArgumentException when it is not a plain SQL identifier
     */
    public static String checkPrefix(String prefix) {
        if (!prefix.isEmpty() && !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("compensation.journal.table-prefix must be a plain SQL identifier"
                    + " (letters, digits, underscores), but was '" + prefix + "'");
        }
        return prefix;
    }

    /**
     * The statements of the dialect's script, with the prefix in the tables' and indexes' names. Comment lines (those
     * starting with {@code --}) are dropped; a statement ends with the line that ends with {@code ;}, which is cut off.
     *
     * @param dialect the database
     * @param prefix  the table prefix; {@code compensation_} yields the script's statements as they are
     * @return the statements, in order
     */
    public static List<String> statements(Dialect dialect, String prefix) {
        checkPrefix(prefix);
        String script;
        try (InputStream in = JournalSchema.class.getClassLoader().getResourceAsStream(dialect.schemaLocation())) {
            if (in == null) {
                throw new IllegalStateException("Missing schema script " + dialect.schemaLocation());
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException failure) {
            throw new IllegalStateException("Cannot read schema script " + dialect.schemaLocation(), failure);
        }
        String replacement = Matcher.quoteReplacement(prefix);
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            if (line.strip().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.strip().endsWith(";")) {
                String statement = current.toString().strip();
                statement = statement.substring(0, statement.length() - 1);
                statements.add(DEFAULT_PREFIX.matcher(statement).replaceAll(replacement));
                current.setLength(0);
            }
        }
        return statements;
    }

    /**
     * Creates what is missing of the journal's tables and indexes, never touching what exists.
     *
     * <p>Each object is looked up in the database's catalog first and skipped when it is there. This matters when
     * another instance is running: on PostgreSQL even {@code create index if not exists} first asks for a lock on the
     * table that waits for every open transaction that wrote to it, and while it waits every later write of every
     * instance queues behind it. What is missing is created with a lock timeout on PostgreSQL, so that a start next
     * to open transactions fails with a message instead of stalling the journal.
     *
     * @param dataSource where to create the tables
     * @param dialect    the database
     * @param prefix     the table prefix
     * @throws IllegalStateException when a missing object could not get its lock in time, or the database failed
     */
    public static void initialize(DataSource dataSource, Dialect dialect, String prefix) {
        List<String> statements = statements(dialect, prefix);
        try (Connection connection = dataSource.getConnection()) {
            Catalog catalog = Catalog.read(connection, statements);
            List<String> missing = new ArrayList<>();
            for (String statement : statements) {
                if (!catalog.hasObjectCreatedBy(statement)) {
                    missing.add(statement);
                }
            }
            if (!missing.isEmpty()) {
                boolean autoCommit = connection.getAutoCommit();
                connection.setAutoCommit(true);
                try {
                    create(connection, dialect, missing);
                }
                finally {
                    connection.setAutoCommit(autoCommit);
                }
            }
        }
        catch (SQLException failure) {
            throw new IllegalStateException("Cannot create the compensation journal's tables (prefix '" + prefix
                    + "'): " + failure.getMessage(), failure);
        }
    }

    private static void create(Connection connection, Dialect dialect, List<String> statements) throws SQLException {
        boolean limitLockWait = dialect == Dialect.POSTGRESQL;
        try (Statement jdbc = connection.createStatement()) {
            if (limitLockWait) {
                jdbc.execute("set lock_timeout = '" + LOCK_TIMEOUT.toMillis() + "ms'");
            }
            try {
                for (String statement : statements) {
                    try {
                        jdbc.execute(statement);
                    }
                    catch (SQLException failure) {
                        if (LOCK_NOT_AVAILABLE.equals(failure.getSQLState())) {
                            throw new IllegalStateException("The compensation journal could not create a missing"
                                    + " object within " + LOCK_TIMEOUT.toSeconds() + " s because other"
                                    + " transactions hold locks on its table (running instances?); nothing waits"
                                    + " any longer. Create it with your migrations or while no instance writes to"
                                    + " the journal: " + statement, failure);
                        }
                        throw failure;
                    }
                }
            }
            finally {
                if (limitLockWait) {
                    jdbc.execute("reset lock_timeout");
                }
            }
        }
    }

    /** The tables and indexes that exist in the connection's current schema, names in lower case. */
    private record Catalog(Set<String> tables, Set<String> indexes) {

        private static final Pattern CREATE_TABLE = Pattern.compile(
                "create\\s+table\\s+if\\s+not\\s+exists\\s+(\\w+)", Pattern.CASE_INSENSITIVE);
        private static final Pattern CREATE_INDEX = Pattern.compile(
                "create\\s+(?:unique\\s+)?index\\s+if\\s+not\\s+exists\\s+(\\w+)\\s+on\\s+(\\w+)",
                Pattern.CASE_INSENSITIVE);

        static Catalog read(Connection connection, List<String> statements) throws SQLException {
            Set<String> indexed = new HashSet<>();
            for (String statement : statements) {
                Matcher index = CREATE_INDEX.matcher(statement);
                if (index.lookingAt()) {
                    indexed.add(index.group(2).toLowerCase(Locale.ROOT));
                }
            }
            DatabaseMetaData metaData = connection.getMetaData();
            String catalog = connection.getCatalog();
            String schema = connection.getSchema();
            Set<String> tables = new HashSet<>();
            Set<String> indexes = new HashSet<>();
            List<String> stored = new ArrayList<>();
            try (ResultSet rows = metaData.getTables(catalog, schema, "%", new String[] {"TABLE"})) {
                while (rows.next()) {
                    stored.add(rows.getString("TABLE_NAME"));
                }
            }
            for (String table : stored) {
                tables.add(table.toLowerCase(Locale.ROOT));
                if (!indexed.contains(table.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                try (ResultSet rows = metaData.getIndexInfo(catalog, schema, table, false, true)) {
                    while (rows.next()) {
                        String name = rows.getString("INDEX_NAME");
                        if (name != null) {
                            indexes.add(name.toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
            return new Catalog(tables, indexes);
        }

        /** Whether the statement creates a table or an index that exists; {@code false} for any other statement. */
        boolean hasObjectCreatedBy(String statement) {
            Matcher table = CREATE_TABLE.matcher(statement);
            if (table.lookingAt()) {
                return tables.contains(table.group(1).toLowerCase(Locale.ROOT));
            }
            Matcher index = CREATE_INDEX.matcher(statement);
            if (index.lookingAt()) {
                return tables.contains(index.group(2).toLowerCase(Locale.ROOT))
                        && indexes.contains(index.group(1).toLowerCase(Locale.ROOT));
            }
            return false;
        }
    }
}
