package io.github.compensation.journal;

import java.util.List;
import javax.sql.DataSource;

/** Real crashes against the MariaDB server on localhost:3306 (J2–J4); fails, never skips, without it. */
class MariaDbCrashRecoveryTest extends CrashRecoveryTest {

    @Override
    DataSource dataSource() {
        return TestDatabases.mariadb();
    }

    @Override
    List<String> childConnection() {
        return List.of(TestDatabases.MARIADB_URL, "root", "");
    }
}
