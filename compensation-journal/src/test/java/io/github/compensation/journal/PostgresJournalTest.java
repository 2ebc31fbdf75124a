package io.github.compensation.journal;

import javax.sql.DataSource;

/** The journal's contract on PostgreSQL, embedded (J5). */
class PostgresJournalTest extends JournalContractTest {

    @Override
    DataSource dataSource() {
        return TestDatabases.postgres();
    }
}
