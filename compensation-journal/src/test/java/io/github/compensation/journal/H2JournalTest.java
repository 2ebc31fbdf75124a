package io.github.compensation.journal;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;

/** The journal's contract on H2 (J5). */
class H2JournalTest extends JournalContractTest {

    static final HikariDataSource DATA_SOURCE = TestDatabases.h2();

    @Override
    DataSource dataSource() {
        return DATA_SOURCE;
    }

    @AfterAll
    static void close() {
        DATA_SOURCE.close();
    }
}
