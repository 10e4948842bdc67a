package com.cleversync.sync;

import com.cleversync.clever.CleverApi;
import com.cleversync.clever.CleverToken;
import com.cleversync.config.CleverSyncProperties;
import com.cleversync.config.ConfigurationKeys;
import com.cleversync.config.InvalidConfigurationException;
import com.cleversync.school.Dialect;
import com.cleversync.clever.OmittedFields;
import com.cleversync.school.SchoolDatabase;
import com.cleversync.school.SharedLimits;
import java.net.URI;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * Turns the operator's {@code cleversync.*} configuration into districts and school databases.
 * Values are resolved through Camel's properties component (so {@code {{azure:…}}} placeholders
 * work) and validated; any invalid value fails startup with a message naming its key.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CleverSyncProperties.class)
public class SyncConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(SyncConfiguration.class);
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{[^}]*}}");

    @Bean
    @DependsOn(ConfigurationKeys.BEAN) // a misspelt key must not pass for a default
    CleverApi cleverApi(CleverSyncProperties properties, ObjectProvider<BuiltInClever> builtIn, CamelContext camel) {
        CleverSyncProperties.Clever clever = properties.clever();
        if (clever.pageSize() < 1 || clever.pageSize() > 10_000) {
            throw new InvalidConfigurationException("cleversync.clever.page-size",
                    "must be between 1 and 10000 (Clever answers 413 above 10000), was " + clever.pageSize());
        }
        positive("cleversync.clever.requests-per-minute", clever.requestsPerMinute());
        positive("cleversync.clever.retry.attempts", clever.retry().attempts());
        if (clever.rateLimitWindow().toMillis() < 1) {
            throw new InvalidConfigurationException("cleversync.clever.rate-limit-window", "must be positive");
        }
        positive("cleversync.clever.circuit-breaker.sliding-window-size", clever.circuitBreaker().slidingWindowSize());
        positive("cleversync.clever.circuit-breaker.minimum-number-of-calls", clever.circuitBreaker().minimumNumberOfCalls());
        positive("cleversync.clever.circuit-breaker.half-open-calls", clever.circuitBreaker().halfOpenCalls());
        if (clever.circuitBreaker().failureRateThreshold() <= 0 || clever.circuitBreaker().failureRateThreshold() > 100) {
            throw new InvalidConfigurationException("cleversync.clever.circuit-breaker.failure-rate-threshold",
                    "must be a percentage in (0, 100], was " + clever.circuitBreaker().failureRateThreshold());
        }
        if (clever.circuitBreaker().waitInOpenState().toSeconds() < 1) {
            throw new InvalidConfigurationException("cleversync.clever.circuit-breaker.wait-in-open-state",
                    "must be at least 1s");
        }
        BuiltInClever simulator = builtIn.getIfAvailable();
        String baseUrl = simulator != null ? simulator.baseUrl() : resolve(camel, "cleversync.clever.base-url", clever.baseUrl());
        if (baseUrl == null || !baseUrl.matches("https?://[^/?#]+/?")) {
            throw new InvalidConfigurationException("cleversync.clever.base-url",
                    "must be scheme://host[:port] (the client adds /v3.0), was '" + baseUrl + "'");
        }
        if (baseUrl.startsWith("http:") && !isLoopback(URI.create(baseUrl).getHost())) {
            // the district token travels in every request
            throw new InvalidConfigurationException("cleversync.clever.base-url",
                    "must use https (http only for a loopback host, such as the sandbox), was '" + baseUrl + "'");
        }
        return new CleverApi(baseUrl.replaceAll("/$", ""), clever.pageSize());
    }

    /** Whether a URL's host is this machine's loopback (where plain http exposes nothing on the network). */
    public static boolean isLoopback(String host) {
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
    }

    private static void positive(String key, int value) {
        if (value < 1) {
            throw new InvalidConfigurationException(key, "must be at least 1, was " + value);
        }
    }

    /** What the service takes for now (an attendance run's today); tests set their own. */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean
    java.time.Clock clock() {
        return java.time.Clock.systemUTC();
    }

    @Bean
    Replica replica() {
        return Replica.thisProcess();
    }

    /** What the schools' contracts do not allow to store; a field records are routed or keyed by cannot be omitted. */
    @Bean
    OmittedFields omittedFields(CleverSyncProperties properties) {
        for (String field : properties.sync().omitFields()) {
            if (OmittedFields.REQUIRED.contains(field)) {
                throw new InvalidConfigurationException("cleversync.sync.omit-fields", "'" + field
                        + "' cannot be omitted: records are routed or keyed by it (" + OmittedFields.REQUIRED.stream()
                        .sorted().toList() + " are needed)");
            }
        }
        return new OmittedFields(properties.sync().omitFields());
    }

    @Bean
    @DependsOn(ConfigurationKeys.BEAN) // a misspelt key must not pass for a default
    SyncDistricts syncDistricts(CleverSyncProperties properties, ObjectProvider<BuiltInClever> builtIn,
                                CamelContext camel, ObjectProvider<MeterRegistry> meters) {
        CleverSyncProperties.Sync sync = properties.sync();
        if (sync.batchSize() < 1 || sync.batchSize() > 10_000) {
            throw new InvalidConfigurationException("cleversync.sync.batch-size",
                    "must be between 1 and 10000, was " + sync.batchSize());
        }
        positive("cleversync.sync.max-pool-size", sync.maxPoolSize());
        positive("cleversync.sync.migration-threads", sync.migrationThreads());
        positive("cleversync.sync.idle-connections", sync.idleConnections());
        positive("cleversync.sync.max-concurrent-districts", sync.maxConcurrentDistricts());
        positive("cleversync.sync.write-attempts", sync.writeAttempts());
        if (!(sync.maxArchiveShare() >= 0 && sync.maxArchiveShare() <= 100)) {
            throw new InvalidConfigurationException("cleversync.sync.max-archive-share",
                    "must be a percentage between 0 and 100, was " + sync.maxArchiveShare());
        }
        if (properties.clever().eventRetention().toHours() < 1) {
            throw new InvalidConfigurationException("cleversync.clever.event-retention", "must be at least 1h");
        }
        Map<String, CleverSyncProperties.District> configured = properties.districts();
        BuiltInClever simulator = builtIn.getIfAvailable();
        if (configured.isEmpty() && simulator != null) {
            configured = simulator.demoDistricts();
        }
        List<SyncDistrict> districts = new ArrayList<>();
        Map<String, String> routeIds = new HashMap<>();
        SharedLimits shared = new SharedLimits(sync.migrationThreads(), sync.idleConnections());
        for (Map.Entry<String, CleverSyncProperties.District> d : configured.entrySet()) {
            SyncDistrict district = district(d.getKey(), d.getValue(), sync, camel, meters.getIfAvailable(), shared);
            for (SyncSchool school : district.schools()) {
                String key = "cleversync.districts." + district.key() + ".schools." + school.key();
                String clash = routeIds.put(school.routeId(), key);
                if (clash != null) {
                    throw new InvalidConfigurationException(key, "gives the same route id '" + school.routeId()
                            + "' as " + clash + "; rename one of them");
                }
            }
            districts.add(district);
        }
        oneSourcePerSchool(districts);
        return new SyncDistricts(List.copyOf(districts));
    }

    /**
     * A school database takes its roster from one source: two would overwrite each other's rows, and
     * each one's full sync would archive what only the other sends.
     */
    private static void oneSourcePerSchool(List<SyncDistrict> districts) {
        Map<String, SyncSchool> byDatabase = new HashMap<>();
        Map<String, String> sourceOf = new HashMap<>();
        for (SyncDistrict district : districts) {
            for (SyncSchool school : district.schools()) {
                String database = school.database().jdbcUrl();
                SyncSchool earlier = byDatabase.putIfAbsent(database, school);
                String earlierSource = sourceOf.putIfAbsent(database, district.source().name());
                if (earlier != null && !earlierSource.equals(district.source().name())) {
                    districts.forEach(d -> d.schools().forEach(s -> s.database().close()));
                    throw new InvalidConfigurationException("cleversync.districts." + district.key() + ".schools."
                            + school.key() + ".jdbc-url", "is also the database of school " + earlier.district() + "/"
                            + earlier.key() + ", whose district reads " + earlierSource + " while this one reads "
                            + district.source().name() + ": a school's database takes its roster from one source only");
                }
            }
        }
    }

    private static SyncDistrict district(String key, CleverSyncProperties.District d, CleverSyncProperties.Sync sync,
                                         CamelContext camel, MeterRegistry metrics, SharedLimits shared) {
        String prefix = "cleversync.districts." + key;
        requireKey(prefix, key);
        DistrictSource source = d.source() == CleverSyncProperties.Source.ONEROSTER
                ? OneRosterConfiguration.source(prefix, d, camel)
                : cleverSource(prefix, d, camel);
        if (!CronExpression.isValidExpression(d.schedule())) {
            throw new InvalidConfigurationException(prefix + ".schedule",
                    "is not a valid Quartz cron expression: '" + d.schedule() + "'");
        }
        if (d.eventsSchedule() != null && !CronExpression.isValidExpression(d.eventsSchedule())) {
            throw new InvalidConfigurationException(prefix + ".events-schedule",
                    "is not a valid Quartz cron expression: '" + d.eventsSchedule() + "'");
        }
        try {
            ZoneId.of(d.timeZone());
        } catch (DateTimeException e) {
            throw new InvalidConfigurationException(prefix + ".time-zone", "is not a time zone: '" + d.timeZone() + "'");
        }
        if (d.schools().isEmpty()) {
            throw new InvalidConfigurationException(prefix + ".schools", "at least one school is required");
        }
        List<SyncSchool> schools = new ArrayList<>();
        Map<String, String> sourceIds = new HashMap<>();
        for (Map.Entry<String, CleverSyncProperties.School> s : d.schools().entrySet()) {
            String schoolPrefix = prefix + ".schools." + s.getKey();
            SyncSchool school = school(key, s.getKey(), s.getValue(), schoolPrefix, sync, camel, metrics, shared);
            String clash = sourceIds.put(school.sourceId(), s.getKey());
            if (clash != null) {
                school.database().close();
                throw new InvalidConfigurationException(schoolPrefix + "." + sourceIdKey(s.getValue()),
                        "is also the source id of school '" + clash + "'");
            }
            schools.add(school);
        }
        SyncAttendance attendance;
        try {
            attendance = AttendanceConfiguration.attendance(prefix, d, source, camel);
        } catch (RuntimeException e) {
            schools.forEach(s -> s.database().close());
            throw e;
        }
        return new SyncDistrict(key, source, d.schedule(), d.eventsSchedule(), d.timeZone(), d.syncOnStartup(),
                List.copyOf(schools), attendance);
    }

    private static DistrictSource cleverSource(String prefix, CleverSyncProperties.District d, CamelContext camel) {
        if (d.oneroster() != null) {
            throw new InvalidConfigurationException(prefix + ".oneroster", "is read only with source: oneroster"
                    + " (this district's source is clever)");
        }
        if (d.token() == null || d.token().isBlank()) {
            throw new InvalidConfigurationException(prefix + ".token", "is required");
        }
        CleverToken token = new CleverToken(d.token(), value -> resolve(camel, prefix + ".token", value));
        if (token.current() == null || token.current().isBlank()) {
            throw new InvalidConfigurationException(prefix + ".token", "resolves to an empty value");
        }
        return new DistrictSource.Clever(token);
    }

    /** {@code source-id}, or {@code clever-id} where only that older name is set. */
    private static String sourceIdKey(CleverSyncProperties.School s) {
        return s.sourceId() == null && s.cleverId() != null ? "clever-id" : "source-id";
    }

    private static SyncSchool school(String district, String key, CleverSyncProperties.School s, String prefix,
                                     CleverSyncProperties.Sync sync, CamelContext camel, MeterRegistry metrics,
                                     SharedLimits shared) {
        requireKey(prefix, key);
        if (s == null) {
            throw new InvalidConfigurationException(prefix, "needs source-id and jdbc-url");
        }
        if (s.sourceId() != null && s.cleverId() != null) {
            throw new InvalidConfigurationException(prefix + ".clever-id", "is the older name of source-id: set one of them");
        }
        String idKey = prefix + "." + sourceIdKey(s);
        String sourceId = resolve(camel, idKey, s.sourceId() != null ? s.sourceId() : s.cleverId());
        if (sourceId == null || sourceId.isBlank()) {
            throw new InvalidConfigurationException(prefix + ".source-id", "is required (the school's id at the"
                    + " district's source: its Clever id, or its OneRoster org sourcedId)");
        }
        String jdbcUrl = resolve(camel, prefix + ".jdbc-url", s.jdbcUrl());
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            throw new InvalidConfigurationException(prefix + ".jdbc-url", "is required");
        }
        Dialect dialect = Dialect.ofJdbcUrl(jdbcUrl).orElseThrow(() -> new InvalidConfigurationException(
                prefix + ".jdbc-url", "must start with jdbc:sqlserver:, jdbc:postgresql: or jdbc:h2:"));
        if (dialect == Dialect.H2) {
            jdbcUrl = h2InSqlServerMode(jdbcUrl, prefix);
        }
        if (dialect == Dialect.SQLSERVER) {
            warnOnUnverifiedTls(district + "/" + key, jdbcUrl);
        }
        SchoolDatabase database = new SchoolDatabase(district + "/" + key, dialect, jdbcUrl,
                () -> new SchoolDatabase.Login(resolve(camel, prefix + ".username", s.username()),
                        resolve(camel, prefix + ".password", s.password())),
                sync.connectionTimeout(), sync.maxPoolSize(), metrics, shared);
        return new SyncSchool(district, key, sourceId, database, s.aeriesSchoolCode());
    }

    /**
     * A configured school named {@code district/school} in the value of {@code key}, checked.
     *
     * @throws InvalidConfigurationException naming the key when no such school is configured
     */
    static String schoolPath(SyncDistricts districts, String path, String key) {
        boolean known = districts.schools().stream().anyMatch(s -> path.equals(s.district() + "/" + s.key()));
        if (!known) {
            throw new InvalidConfigurationException(key, "'" + path + "' is not a configured school (district/school)");
        }
        return path;
    }

    /**
     * mssql-jdbc encrypts by default (encrypt=true) and verifies the server's certificate; a URL that
     * turns either off is allowed (self-signed test servers) but named in the log. The URL itself is
     * not logged: it may carry a password.
     */
    private static void warnOnUnverifiedTls(String school, String jdbcUrl) {
        String url = jdbcUrl.toLowerCase().replace(" ", "");
        if (url.contains(";encrypt=false")) {
            LOG.warn("school {}: its jdbc-url sets encrypt=false: roster data travels to SQL Server unencrypted", school);
        } else if (url.contains(";trustservercertificate=true")) {
            LOG.warn("school {}: its jdbc-url sets trustServerCertificate=true: the SQL Server's certificate is not"
                    + " verified, so the connection is open to a man in the middle", school);
        }
    }

    /** H2 school databases run the T-SQL schema, so they must be in SQL Server mode. */
    private static String h2InSqlServerMode(String jdbcUrl, String prefix) {
        String upper = jdbcUrl.toUpperCase();
        if (!upper.contains(";MODE=")) {
            return jdbcUrl + ";MODE=MSSQLServer";
        }
        if (!upper.contains(";MODE=MSSQLSERVER")) {
            throw new InvalidConfigurationException(prefix + ".jdbc-url",
                    "H2 school databases use the T-SQL schema: use MODE=MSSQLServer or leave MODE out");
        }
        return jdbcUrl;
    }

    private static void requireKey(String prefix, String key) {
        if (!KEY.matcher(key).matches()) {
            throw new InvalidConfigurationException(prefix,
                    "keys may hold only letters, digits, '-' and '_' (they name routes and jobs)");
        }
    }

    /**
     * Every value may be a Camel placeholder such as {@code {{azure:name}}}, resolved here, before any
     * pool or route is built from it. A secret that cannot be read (missing, vault unreachable,
     * credentials refused, Key Vault not configured) stops startup naming the key and the placeholder,
     * never a value: the message carries the placeholders of the configured value, not the value.
     */
    public static String resolve(CamelContext camel, String key, String value) {
        if (value == null) {
            return null;
        }
        try {
            return camel.resolvePropertyPlaceholders(value);
        } catch (RuntimeException e) {
            throw new InvalidConfigurationException(key, "cannot resolve " + String.join(", ", placeholders(value))
                    + ": " + Failures.describe(e, value));
        }
    }

    private static List<String> placeholders(String value) {
        List<String> found = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(value);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }
}
