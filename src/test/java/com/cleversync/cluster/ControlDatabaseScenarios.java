package com.cleversync.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.Await;
import com.cleversync.SchoolDb;
import com.cleversync.sync.Replica;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.DBConnectionManager;

/**
 * The control database on each database it runs on: its migrations create Quartz's tables and the
 * leases; leases are held by one replica at a time, renewed, released, handed over, and a stale one
 * is taken over by exactly one of the replicas that race for it; Quartz's clustered job store runs
 * a job on it. Subclasses give the database.
 */
abstract class ControlDatabaseScenarios {
    static final Duration TTL = Duration.ofSeconds(30);
    static final CountDownLatch FIRED = new CountDownLatch(1);
    ControlDatabase control;

    /** A new empty database's JDBC URL, user and password. */
    abstract String[] newDatabase();

    abstract SchoolDb reader(String[] database);

    String[] database;

    @BeforeEach
    void open() {
        database = newDatabase();
        control = ControlDatabase.open(database[0], database[1], database[2], 4);
    }

    @AfterEach
    void close() {
        control.close();
    }

    @Test
    void theMigrationsCreateQuartzsTablesAndTheLeasesAndRunOnceOnly() {
        ControlDatabase.open(database[0], database[1], database[2], 2).close();

        SchoolDb db = reader(database);
        for (String table : List.of("QRTZ_JOB_DETAILS", "QRTZ_TRIGGERS", "QRTZ_CRON_TRIGGERS", "QRTZ_FIRED_TRIGGERS",
                "QRTZ_SCHEDULER_STATE", "QRTZ_LOCKS", "district_leases")) {
            assertThat(db.count("SELECT COUNT(*) FROM " + table)).as(table).isZero();
        }
        assertThat(db.count("SELECT COUNT(*) FROM control_schema_history WHERE success = " + trueValue())).isEqualTo(2);
    }

    @Test
    void aLeaseIsHeldByOneReplicaUntilItIsReleased() {
        ControlLeases a = leases("a/1");
        ControlLeases b = leases("b/2");

        assertThat(a.acquire("springfield", "run-a", "full")).isTrue();
        assertThat(b.acquire("springfield", "run-b", "incremental")).isFalse();
        assertThat(b.holder("springfield")).isEqualTo("replica a/1, run run-a");
        assertThat(a.renew("springfield", "run-a")).isTrue();
        assertThat(b.renew("springfield", "run-b")).as("b holds nothing").isFalse();
        assertThat(b.acquire("shelbyville", "run-b2", "full")).as("another district is free").isTrue();
        assertThat(a.stale()).isEmpty();

        a.release("springfield", "run-a", false);
        assertThat(a.holder("springfield")).isNull();
        assertThat(b.acquire("springfield", "run-b", "incremental")).isTrue();
        assertThat(a.holder("springfield")).isEqualTo("replica b/2, run run-b");
    }

    @Test
    void aStaleLeaseIsTakenOverByExactlyOneOfTheReplicasThatRaceForIt() throws Exception {
        ControlLeases dying = leases("dying/1");
        assertThat(dying.acquire("springfield", "run-1", "incremental")).isTrue();
        dying.release("springfield", "run-1", true); // a shutdown hands the run over: stale at once

        List<ControlLeases.Stale> stale = Await.until(dying::stale, s -> !s.isEmpty());
        assertThat(stale).containsExactly(new ControlLeases.Stale("springfield", "run-1", "dying/1", "incremental"));
        List<ControlLeases> racers = List.of(leases("b/2"), leases("c/3"), leases("d/4"));
        List<CompletableFuture<Boolean>> won = racers.stream().map(r -> CompletableFuture.supplyAsync(
                () -> r.acquire("springfield", "run-" + r.hashCode(), "incremental"))).toList();
        assertThat(won.stream().map(CompletableFuture::join).filter(w -> w)).as("one winner").hasSize(1);
        assertThat(dying.renew("springfield", "run-1")).as("the old run lost its lease").isFalse();
        assertThat(dying.stale()).isEmpty();
    }

    @Test
    void quartzsClusteredJobStoreRunsAJobOnIt() throws Exception {
        DBConnectionManager.getInstance().addConnectionProvider(ClusterConfiguration.QUARTZ_DATA_SOURCE, control.forQuartz());
        Properties properties = new Properties();
        properties.putAll(ClusterConfiguration.quartzProperties(control.dialect(), 1, Duration.ofSeconds(1)));
        properties.put("org.quartz.scheduler.instanceName", "control-test");
        Scheduler scheduler = new StdSchedulerFactory(properties).getScheduler();
        try {
            scheduler.start();
            scheduler.scheduleJob(JobBuilder.newJob(Fired.class).withIdentity("fired").build(),
                    TriggerBuilder.newTrigger().withIdentity("now").startNow().build());

            assertThat(FIRED.await(30, TimeUnit.SECONDS)).as("the job ran").isTrue();
            assertThat(scheduler.getMetaData().isJobStoreClustered()).isTrue();
            assertThat(reader(database).count("SELECT COUNT(*) FROM QRTZ_SCHEDULER_STATE WHERE SCHED_NAME = 'control-test'"))
                    .as("this scheduler checked in").isEqualTo(1);
        } finally {
            scheduler.shutdown(true);
        }
    }

    /** The literal of a true boolean in Flyway's history table: PostgreSQL's boolean, SQL Server's bit. */
    abstract String trueValue();

    private ControlLeases leases(String replica) {
        return new ControlLeases(control, new Replica(replica), TTL);
    }

    public static class Fired implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            FIRED.countDown();
        }
    }
}
