package io.github.compensation.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Creates the journal's tables from the dialect's script (clause J5). The scripts only create what is missing, so
 * running them at every start is safe.
 */
public final class JournalSchema {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

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
     * The statements of the dialect's script, with the prefix filled in.
     *
     * @param dialect the database
     * @param prefix  the table prefix
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
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            if (line.strip().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.strip().endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1).replace("${prefix}", prefix));
                current.setLength(0);
            }
        }
        return statements;
    }

    /**
     * Runs the dialect's script.
     *
     * @param dataSource where to create the tables
     * @param dialect    the database
     * @param prefix     the table prefix
     */
    public static void initialize(DataSource dataSource, Dialect dialect, String prefix) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        for (String statement : statements(dialect, prefix)) {
            jdbc.execute(statement);
        }
    }
}
