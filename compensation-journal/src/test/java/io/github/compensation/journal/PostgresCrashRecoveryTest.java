package io.github.compensation.journal;

import java.util.List;
import javax.sql.DataSource;

/** Real crashes against embedded PostgreSQL (J2–J4). */
class PostgresCrashRecoveryTest extends CrashRecoveryTest {

    @Override
    DataSource dataSource() {
        return TestDatabases.postgres();
    }

    @Override
    List<String> childConnection() {
        return List.of(TestDatabases.postgresUrl(), "postgres", "postgres");
    }
}
