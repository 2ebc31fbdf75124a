package io.github.compensation.journal;

import javax.sql.DataSource;

/**
 * The journal's contract on the MariaDB server at localhost:3306 (J5). Fails, never skips, when the server is not
 * running, with a message that says how to start it.
 */
class MariaDbJournalTest extends JournalContractTest {

    @Override
    DataSource dataSource() {
        return TestDatabases.mariadb();
    }
}
