package com.cleversync.cluster;

import com.cleversync.config.CleverSyncProperties;
import com.cleversync.config.ConfigurationKeys;
import com.cleversync.config.InvalidConfigurationException;
import com.cleversync.sync.DistrictRuns;
import com.cleversync.sync.Replica;
import com.cleversync.sync.SyncConfiguration;
import com.cleversync.sync.SyncDistricts;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.utils.DBConnectionManager;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * Several replicas, with {@code cleversync.control.jdbc-url} set: the district schedules live in
 * Quartz's clustered JDBC job store in the control database, so each fire runs on exactly one
 * replica (whichever has a free scheduler thread first: the load spreads); the districts' leases live
 * there too, so no district runs on two replicas at once, and a dead replica's runs are taken over.
 * Without it, none of this exists: one replica, schedules in memory.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = ControlDatabase.KEY)
class ClusterConfiguration {
    /** Quartz's name for the control database's connections. */
    static final String QUARTZ_DATA_SOURCE = "cleversync-control";

    @Bean
    @DependsOn(ConfigurationKeys.BEAN)
    ControlDatabase controlDatabase(CleverSyncProperties properties, CamelContext camel) {
        CleverSyncProperties.Control control = properties.control();
        if (control.leaseTtl().toSeconds() < 2) {
            throw new InvalidConfigurationException("cleversync.control.lease-ttl", "must be at least 2s");
        }
        if (control.leaseRenewal().compareTo(control.leaseTtl().dividedBy(2)) > 0 || control.leaseRenewal().isZero()) {
            throw new InvalidConfigurationException("cleversync.control.lease-renewal",
                    "must be positive and at most half of cleversync.control.lease-ttl, so that a live replica's"
                            + " leases never expire");
        }
        if (control.checkinInterval().toMillis() < 1000) {
            throw new InvalidConfigurationException("cleversync.control.checkin-interval", "must be at least 1s");
        }
        String url = SyncConfiguration.resolve(camel, ControlDatabase.KEY, control.jdbcUrl());
        return ControlDatabase.open(url,
                SyncConfiguration.resolve(camel, "cleversync.control.username", control.username()),
                SyncConfiguration.resolve(camel, "cleversync.control.password", control.password()),
                poolSize(properties));
    }

    /**
     * Camel's {@code quartz} component, on the clustered job store: the same scheduler name on every
     * replica, an instance id of its own for each, as many scheduler threads as runs a replica may
     * run at once (a replica whose threads are busy leaves the next fires to the others).
     */
    @Bean("quartz")
    QuartzComponent quartz(ControlDatabase control, CleverSyncProperties properties) {
        DBConnectionManager.getInstance().addConnectionProvider(QUARTZ_DATA_SOURCE, control.forQuartz());
        QuartzComponent quartz = new QuartzComponent();
        quartz.setProperties(quartzProperties(control.dialect(), properties.sync().maxConcurrentDistricts(),
                properties.control().checkinInterval()));
        return quartz;
    }

    /** Quartz's settings for the clustered job store on the control database. */
    static Map<String, String> quartzProperties(ControlDatabase.Dialect dialect, int threads, Duration checkinInterval) {
        return Map.ofEntries(
                Map.entry("org.quartz.scheduler.instanceName", "cleversync"),
                Map.entry("org.quartz.scheduler.instanceId", "AUTO"),
                Map.entry("org.quartz.scheduler.skipUpdateCheck", "true"),
                Map.entry("org.quartz.scheduler.jmx.export", "true"),
                Map.entry("org.quartz.threadPool.threadCount", String.valueOf(threads)),
                Map.entry("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX"),
                Map.entry("org.quartz.jobStore.driverDelegateClass", dialect.quartzDelegate),
                Map.entry("org.quartz.jobStore.dataSource", QUARTZ_DATA_SOURCE),
                Map.entry("org.quartz.jobStore.tablePrefix", "QRTZ_"),
                Map.entry("org.quartz.jobStore.isClustered", "true"),
                Map.entry("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(checkinInterval.toMillis())),
                Map.entry("org.quartz.jobStore.acquireTriggersWithinLock", "true"));
    }

    @Bean
    static ClusteredSchedules clusteredSchedules() {
        return new ClusteredSchedules();
    }

    @Bean
    ControlLeases controlLeases(ControlDatabase control, Replica replica, CleverSyncProperties properties) {
        return new ControlLeases(control, replica, properties.control().leaseTtl());
    }

    @Bean
    LeaseKeeper leaseKeeper(ControlLeases leases, DistrictRuns runs, SyncDistricts districts,
                            CleverSyncProperties properties) {
        Duration renewal = properties.control().leaseRenewal();
        return new LeaseKeeper(leases, runs, districts, renewal, !properties.runOnce());
    }

    /** Quartz's threads, its misfire and cluster managers, and the leases. */
    private static int poolSize(CleverSyncProperties properties) {
        return properties.sync().maxConcurrentDistricts() + 4;
    }
}
