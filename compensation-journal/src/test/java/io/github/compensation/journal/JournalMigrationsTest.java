package io.github.compensation.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.integration.spring.SpringLiquibase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * J5: the Flyway migrations and the Liquibase changelog shipped with the journal create, on PostgreSQL (embedded),
 * exactly the schema that the journal's own initialization creates and uses; that initialization runs the same
 * migration scripts on every database, with the configured table prefix in the tables' and indexes' names only.
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
    void withTheDefaultPrefixTheJournalRunsItsMigrationAsItIs_J5() throws IOException {
        for (var vendor : Map.of("postgresql", Dialect.POSTGRESQL, "mariadb", Dialect.MARIADB, "h2", Dialect.H2)
                .entrySet()) {
            String location = "db/migration/compensation/" + vendor.getKey() + "/R__compensation_journal.sql";
            assertThat(vendor.getValue().schemaLocation()).isEqualTo(location);
            assertThat(JournalSchema.statements(vendor.getValue(), PREFIX)).as(vendor.getKey()).hasSizeGreaterThan(3)
                    .isEqualTo(statements(location));
        }
    }

    @Test
    void onMySqlTheJournalRunsTheMariaDbScriptWhichSaysWhatTheMySqlMigrationSays_J5() throws IOException {
        assertThat(Dialect.of("MySQL")).isEqualTo(Dialect.MARIADB);
        assertThat(statements("db/migration/compensation/mysql/R__compensation_journal.sql"))
                .isEqualTo(statements(Dialect.MARIADB.schemaLocation()));
    }

    @Test
    void anotherPrefixNamesEveryTableAndIndexAndNothingElse_J5() {
        for (Dialect dialect : Dialect.values()) {
            List<String> defaults = JournalSchema.statements(dialect, PREFIX);
            List<String> shop = JournalSchema.statements(dialect, "shop_");

            assertThat(shop).as(dialect.name())
                    .allSatisfy(statement -> assertThat(statement).doesNotContainIgnoringCase("compensation"))
                    .isEqualTo(defaults.stream().map(statement -> statement.replace(PREFIX, "shop_")).toList());
            assertThat(createdNames(shop)).as(dialect.name())
                    .containsAll(List.of("shop_unit", "shop_marker", "shop_command", "shop_note",
                            "shop_command_key", "shop_note_scope"))
                    .allSatisfy(name -> assertThat(name).startsWith("shop_"));
            assertThat(createdNames(JournalSchema.statements(dialect, ""))).as(dialect.name())
                    .containsAll(List.of("unit", "marker", "command", "note", "unit_due", "command_key"));
            assertThat(JournalSchema.statements(dialect, "compensation_v2_")).as(dialect.name())
                    .isEqualTo(defaults.stream().map(statement -> statement.replace(PREFIX, "compensation_v2_"))
                            .toList());
        }
    }

    /** The names of the tables and indexes the statements create, and of the tables they index. */
    private static List<String> createdNames(List<String> statements) {
        Pattern name = Pattern.compile("(?:table if not exists|index if not exists|\\bon|^\\s*key) (\\w+)",
                Pattern.MULTILINE);
        List<String> names = new ArrayList<>();
        for (String statement : statements) {
            Matcher matcher = name.matcher(statement);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
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
