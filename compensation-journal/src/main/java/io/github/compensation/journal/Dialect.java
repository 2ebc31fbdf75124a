package io.github.compensation.journal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The databases the journal supports, each with its schema script and its way of claiming rows that other instances
 * have not locked (clauses J4, J5).
 */
public enum Dialect {

    /** PostgreSQL 9.5 and newer. */
    POSTGRESQL("postgresql"),

    /**
     * MariaDB 10.6 and newer, MySQL 8 and newer (InnoDB). Both run the {@code mariadb} script; the {@code mysql}
     * folder holds the same statements for Flyway's and Liquibase's MySQL vendor.
     */
    MARIADB("mariadb"),

    /** H2 2.x. */
    H2("h2");

    private final String vendor;

    Dialect(String vendor) {
        this.vendor = vendor;
    }

    /**
     * The classpath location of the schema script: the journal's Flyway repeatable migration for this database, which
     * the Liquibase changelog runs too. Its tables and indexes are named with the default table prefix
     * {@code compensation_}; {@link JournalSchema#statements(Dialect, String)} puts the configured prefix in their
     * place.
     *
     * @return e.g. {@code db/migration/compensation/postgresql/R__compensation_journal.sql}
     */
    public String schemaLocation() {
        return "db/migration/compensation/" + vendor + "/R__compensation_journal.sql";
    }

    /**
     * The clause appended to a {@code SELECT} that claims rows, skipping those locked by other instances.
     *
     * @return {@code FOR UPDATE SKIP LOCKED} on every supported database
     */
    public String skipLocked() {
        return " for update skip locked";
    }

    /**
     * Detects the dialect from the database's product name.
     *
     * @param dataSource the journal's data source
     * @return the dialect
     * @throws IllegalStateException when the database is not supported, naming it and the supported ones
     */
    public static Dialect detect(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            return of(metaData.getDatabaseProductName());
        }
        catch (SQLException failure) {
            throw new IllegalStateException("Cannot detect the journal's database dialect: " + failure.getMessage()
                    + ". Set compensation.journal.dialect to postgresql, mariadb or h2", failure);
        }
    }

    /**
     * The dialect for a JDBC product name.
     *
     * @param productName as reported by the driver
     * @return the dialect
     */
    public static Dialect of(String productName) {
        String name = productName.toLowerCase(Locale.ROOT);
        if (name.contains("postgres")) {
            return POSTGRESQL;
        }
        if (name.contains("mariadb") || name.contains("mysql")) {
            return MARIADB;
        }
        if (name.equals("h2")) {
            return H2;
        }
        throw new IllegalStateException("The compensation journal does not support database '" + productName
                + "'; supported are PostgreSQL, MariaDB/MySQL and H2. Set compensation.journal.enabled=false"
                + " or use one of those");
    }
}
