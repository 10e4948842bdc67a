package com.cleversync.cluster;

import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;

/** The control database on PostgreSQL (the machine's server). */
class ControlDatabasePostgresTest extends ControlDatabaseScenarios {
    @Override
    String[] newDatabase() {
        return new String[] {TestDatabases.postgres("control"), TestDatabases.POSTGRES_USER, ""};
    }

    @Override
    SchoolDb reader(String[] database) {
        return SchoolDb.postgres(database[0]);
    }

    @Override
    String trueValue() {
        return "true";
    }
}
