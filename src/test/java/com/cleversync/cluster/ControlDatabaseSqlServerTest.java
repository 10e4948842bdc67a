package com.cleversync.cluster;

import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The control database on SQL Server: the T-SQL copies of Quartz's tables and the leases' T-SQL.
 * Needs {@code CLEVERSYNC_TEST_SQLSERVER_URL}; skipped without it (the {@code sqlserver} job of
 * .github/workflows/ci.yml runs it against SQL Server 2022).
 */
@EnabledIfEnvironmentVariable(named = TestDatabases.SQLSERVER_URL_VARIABLE, matches = ".*\\S.*",
        disabledReason = TestDatabases.NO_SQLSERVER)
class ControlDatabaseSqlServerTest extends ControlDatabaseScenarios {
    @Override
    String[] newDatabase() {
        return new String[] {TestDatabases.sqlServer("control"), TestDatabases.SQLSERVER_USER, TestDatabases.SQLSERVER_PASSWORD};
    }

    @Override
    SchoolDb reader(String[] database) {
        return SchoolDb.sqlServer(database[0]);
    }

    @Override
    String trueValue() {
        return "1";
    }
}
