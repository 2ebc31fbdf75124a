package io.github.compensation.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import liquibase.integration.spring.SpringLiquibase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * J5: the Flyway migrations and the Liquibase changelog shipped with the journal create, on PostgreSQL (embedded),
 * exactly the schema that the journal's own script creates and uses, and they say the same as the plain scripts on
 * every database.
 */
class JournalMigrationsTest {

    private static final String PREFIX = "compensation_";

    private final JdbcTemplate admin = new JdbcTemplate(TestDatabases.postgres());
    private final List<String> schemas = new ArrayList<>();
    private final List<HikariDataSource> pools = new ArrayList<>();

    @AfterEach
    void dropSchemas() {
        pools.forEach(HikariDataSource::close);
        schemas.forEach(schema -> admin.execute("drop schema if exists " + schema + " cascade"));
    }

    /** A pool whose connections work in a fresh schema of their own. */
    private HikariDataSource inSchema(String name) {
        String schema = name + "_" + ProcessHandle.current().pid();
        admin.execute("create schema " + schema);
        schemas.add(schema);
        String url = TestDatabases.postgresUrl();
        HikariDataSource pool = TestDatabases.pool(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                "postgres", "postgres", 4);
        pools.add(pool);
        return pool;
    }

    private static String schemaOf(HikariDataSource pool) {
        return new JdbcTemplate(pool).queryForObject("select current_schema()", String.class);
    }

    /** The journal's tables as the catalog describes them: columns with types and nullability, and indexes. */
    private List<String> describe(HikariDataSource pool) {
        String schema = schemaOf(pool);
        List<String> description = new ArrayList<>();
        for (Map<String, Object> column : admin.queryForList("select table_name, column_name, data_type,"
                + " character_maximum_length, is_nullable, ordinal_position from information_schema.columns"
                + " where table_schema = ? and table_name like 'compensation\\_%' order by table_name,"
                + " ordinal_position", schema)) {
            description.add("column " + column.values());
        }
        for (Map<String, Object> index : admin.queryForList("select tablename, indexname, indexdef from pg_indexes"
                + " where schemaname = ? and tablename like 'compensation\\_%' order by indexname", schema)) {
            description.add(("index " + index.values()).replace(schema + ".", ""));
        }
        return description;
    }

    private List<String> reference() {
        HikariDataSource reference = inSchema("journal_reference");
        JournalSchema.initialize(reference, Dialect.POSTGRESQL, PREFIX);
        return describe(reference);
    }

    /** The migrated schema is usable as it is: a committed booking journals, dispatches and settles. */
    private void journalWorksOn(HikariDataSource migrated) {
        JournalFixture fixture = new JournalFixture(migrated, PREFIX);
        Remote remote = new Remote();
        fixture.bean("remote", remote);
        Journal journal = fixture.journal("migrated");
        DurableRollbackCommands rollback = JournalCommands.rollback(journal);
        DurableDispatchCommands dispatch = JournalCommands.dispatch(journal);
        fixture.template(journal).execute("Trips.book", () -> fixture.tx.execute(status -> {
            rollback.append(Remote.class).cancel("m1");
            dispatch.append(Remote.class).publish("booked m1");
            return null;
        }));
        assertThat(remote.count("publish", "booked m1")).isEqualTo(1);
        assertThat(fixture.count("unit", "state = 'COMMITTED'")).isEqualTo(1);
    }

    @Test
    void flywayMigrationCreatesTheSchemaTheJournalUses_J5() {
        List<String> expected = reference();
        HikariDataSource migrated = inSchema("journal_flyway");

        Flyway.configure().dataSource(migrated).schemas(schemaOf(migrated))
                .locations("classpath:db/migration/compensation/postgresql").load().migrate();

        assertThat(describe(migrated)).isNotEmpty().isEqualTo(expected);
        journalWorksOn(migrated);
    }

    @Test
    void liquibaseChangelogCreatesTheSchemaTheJournalUses_J5() throws Exception {
        List<String> expected = reference();
        HikariDataSource migrated = inSchema("journal_liquibase");

        SpringLiquibase liquibase = new SpringLiquibase();
        liquibase.setDataSource(migrated);
        liquibase.setResourceLoader(new DefaultResourceLoader());
        liquibase.setChangeLog("classpath:db/changelog/compensation/journal-changelog.yaml");
        liquibase.setDefaultSchema(schemaOf(migrated));
        liquibase.afterPropertiesSet();

        assertThat(describe(migrated)).isNotEmpty().isEqualTo(expected);
        journalWorksOn(migrated);
    }

    @Test
    void migrationScriptsSayWhatThePlainScriptsSayWithTheDefaultPrefix_J5() throws IOException {
        for (var vendor : Map.of("postgresql", Dialect.POSTGRESQL, "mariadb", Dialect.MARIADB, "mysql",
                Dialect.MARIADB, "h2", Dialect.H2).entrySet()) {
            assertThat(statements("db/migration/compensation/" + vendor.getKey() + "/R__compensation_journal.sql"))
                    .as(vendor.getKey()).isEqualTo(JournalSchema.statements(vendor.getValue(), PREFIX));
        }
    }

    private static List<String> statements(String location) throws IOException {
        String script;
        try (InputStream in = JournalMigrationsTest.class.getClassLoader().getResourceAsStream(location)) {
            assertThat(in).as(location).isNotNull();
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
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
                statements.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        return statements;
    }
}
