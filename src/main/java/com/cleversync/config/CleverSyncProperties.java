package com.cleversync.config;

import com.cleversync.oneroster.ClientAuthentication;
import com.cleversync.oneroster.OneRosterProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operator's configuration contract ({@code cleversync.*}). Every value may be overridden by
 * environment variables (relaxed binding) or an external {@code config/application.yaml}; string
 * values may be Camel placeholders such as {@code {{azure:lincoln-db-password}}}, resolved through
 * Camel's properties component when the districts are built (see {@link SyncConfiguration}).
 *
 * @param clever    how to reach Clever
 * @param districts districts by the operator's key (e.g. {@code springfield})
 * @param sync      pipeline tuning shared by all districts
 * @param sandbox   the built-in Clever simulator
 * @param management who may log in to the management endpoints (actuator, Prometheus, later Hawtio)
 * @param notifications where runs that need an operator's attention are reported
 * @param control   the database that replicas share (clustered Quartz schedules and district leases);
 *                  none: one replica, schedules in memory
 * @param runOnce   sync every district once, print the summary and exit (0 only if all schools succeeded)
 * @param full      with run-once: a full sync even where an incremental one is possible
 * @param routesDir an operator's folder of route templates ({@code *.camel.yaml}): each replaces the template
 *                  of its file name shipped in the jar, others are added (read by {@link RouteTemplates})
 */
@ConfigurationProperties("cleversync")
public record CleverSyncProperties(
        @DefaultValue Clever clever,
        Map<String, District> districts,
        @DefaultValue Sync sync,
        @DefaultValue Sandbox sandbox,
        @DefaultValue Management management,
        @DefaultValue Notifications notifications,
        @DefaultValue Control control,
        @DefaultValue("false") boolean runOnce,
        @DefaultValue("false") boolean full,
        String routesDir) {

    public CleverSyncProperties {
        districts = districts == null ? Map.of() : districts;
    }

    /**
     * @param baseUrl           scheme+host[:port] of the Clever API; the client adds {@code /v3.0}
     * @param pageSize          records per page, 1..10000 (Clever answers 413 above 10000)
     * @param requestsPerMinute client-side limit per token in any {@code rateLimitWindow} (never above Clever's per-minute window)
     * @param rateLimitWindow   the window of that limit: Clever's minute (shorter only in tests)
     * @param rateLimitWait     how long to wait after a 429 that carries neither X-RateLimit-Reset nor Retry-After
     * @param retry             retries of a page on 5xx, timeouts, dropped connections and malformed bodies
     * @param circuitBreaker    one breaker per district around every request to Clever
     * @param eventRetention    how long Clever keeps events (30 days); an older cursor means a full sync
     */
    public record Clever(
            @DefaultValue("https://api.clever.com") String baseUrl,
            @DefaultValue("10000") int pageSize,
            @DefaultValue("1200") int requestsPerMinute,
            @DefaultValue("60s") Duration rateLimitWindow,
            @DefaultValue("60s") Duration rateLimitWait,
            @DefaultValue Retry retry,
            @DefaultValue CircuitBreaker circuitBreaker,
            @DefaultValue("30d") Duration eventRetention) {}

    /**
     * Exponential backoff with jitter: the delay doubles from {@code initialDelay} up to {@code maxDelay}.
     *
     * @param attempts attempts in all (the first one included)
     */
    public record Retry(
            @DefaultValue("6") int attempts,
            @DefaultValue("1s") Duration initialDelay,
            @DefaultValue("60s") Duration maxDelay) {}

    /**
     * Resilience4j circuit breaker (count-based sliding window).
     *
     * @param failureRateThreshold percentage of failed requests in the window that opens the breaker
     * @param slidingWindowSize    requests in the window
     * @param minimumNumberOfCalls requests before the failure rate is computed
     * @param waitInOpenState      how long the breaker stays open before half-open probes (whole seconds)
     * @param halfOpenCalls        probe requests in the half-open state
     */
    public record CircuitBreaker(
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("20") int slidingWindowSize,
            @DefaultValue("10") int minimumNumberOfCalls,
            @DefaultValue("60s") Duration waitInOpenState,
            @DefaultValue("2") int halfOpenCalls) {}

    /**
     * @param source         where the district's roster comes from
     * @param token          Clever: the district's bearer token (plain value or Camel placeholder)
     * @param oneroster      OneRoster: the provider and the client's credentials
     * @param schedule       Quartz cron of the full sync
     * @param eventsSchedule Quartz cron of the incremental sync (Clever's events, OneRoster's
     *                       dateLastModified deltas); none when unset
     * @param timeZone       time zone the cron is read in
     * @param syncOnStartup  also run a full sync as soon as the service has started
     * @param schools        the district's schools that have a database, by the operator's key
     * @param attendance     the district's attendance sync (Clever's or Aeries'); none when unset
     */
    public record District(
            @DefaultValue("clever") Source source,
            String token,
            OneRoster oneroster,
            @DefaultValue("0 0 2 * * ?") String schedule,
            String eventsSchedule,
            @DefaultValue("UTC") String timeZone,
            @DefaultValue("false") boolean syncOnStartup,
            Map<String, School> schools,
            Attendance attendance) {
        public District {
            schools = schools == null ? Map.of() : schools;
        }

        /** A Clever district. */
        public static District clever(String token, String schedule, String eventsSchedule, String timeZone,
                                      boolean syncOnStartup, Map<String, School> schools) {
            return new District(Source.CLEVER, token, null, schedule, eventsSchedule, timeZone, syncOnStartup, schools,
                    null);
        }
    }

    /** A district's roster source. */
    public enum Source { CLEVER, ONEROSTER }

    /**
     * A district's attendance sync: each school's daily and period attendance, read in date chunks
     * from the school year's start on the first run, then the correction window and anything newer.
     *
     * @param source           {@code clever} (Clever's v3.1 attendance, with the district's token) or
     *                         {@code aeries} (the district's Aeries API v5)
     * @param schedule         Quartz cron of the attendance sync, in the district's time zone
     * @param schoolYearStart  the first day the first run reads ({@code 2025-08-15})
     * @param correctionWindow how many days back a school may still correct attendance: every run reads
     *                         them again and archives what disappeared; older days are never touched
     * @param chunk            how many days one request (Aeries) or one paged read (Clever) covers; each
     *                         school's progress is committed after each chunk
     * @param aeries           with source aeries: where the district's Aeries is and how to sign in
     */
    public record Attendance(
            @DefaultValue("clever") AttendanceSource source,
            @DefaultValue("0 0 4 * * ?") String schedule,
            String schoolYearStart,
            @DefaultValue("7d") Duration correctionWindow,
            @DefaultValue("7d") Duration chunk,
            Aeries aeries) {}

    /** Where a district's attendance comes from. */
    public enum AttendanceSource { CLEVER, AERIES }

    /**
     * A district's Aeries API v5.
     *
     * @param baseUrl           the district's Aeries address up to but excluding {@code /api}
     * @param certificate       the {@code AERIES-CERT} value: a Key Vault placeholder such as
     *                          {@code {{azure:springfield-aeries-cert}}}; never logged
     * @param studentMatch      the {@code students} column holding the Aeries StudentID: {@code sis_id},
     *                          {@code student_number} or {@code state_id}
     * @param requestsPerMinute client-side limit on requests to this Aeries
     * @param databaseYear      the school year's {@code DatabaseYear} (its start year), or unset for the
     *                          district's current one
     */
    public record Aeries(
            String baseUrl,
            String certificate,
            @DefaultValue("sis_id") String studentMatch,
            @DefaultValue("60") int requestsPerMinute,
            Integer databaseYear) {}

    /**
     * A OneRoster 1.1 or 1.2 provider (a district's SIS). The {@code provider}'s preset gives the page
     * size, the client limit, how the client authenticates and where the token is asked for; any key
     * set here overrides it.
     *
     * @param baseUrl              the provider's root ({@code https://sis.example.org}), to which the version's
     *                             standard path is added; a URL that already has a path is the collections'
     *                             root, used as given (vendors that host under a prefix of their own)
     * @param version              {@code 1.1} or {@code 1.2}
     * @param tokenUrl             the OAuth 2.0 token endpoint (client credentials); the preset's when unset
     * @param clientId             may be a placeholder such as {@code {{azure:springfield-or-client-id}}}
     * @param clientSecret         may be a placeholder; never logged
     * @param scope                the scope to ask for (none when unset: the provider's default)
     * @param provider             the preset: {@code generic}, {@code powerschool}, {@code infinite-campus},
     *                             {@code skyward}, {@code classlink}
     * @param pageSize             records per page ({@code limit}); the preset's when unset
     * @param requestsPerMinute    client-side limit per client id; the preset's when unset
     * @param clientAuthentication {@code basic} (HTTP Basic) or {@code form} (id and secret in the form body)
     * @param deltas               whether the provider filters by {@code dateLastModified}; the preset's when
     *                             unset (a provider that refuses the filter makes the run a full sync anyway)
     * @param deltaMargin          how far before the last run's start an incremental sync asks for changes
     *                             (clock skew between us and the provider, writes committed late)
     */
    public record OneRoster(
            String baseUrl,
            @DefaultValue("1.2") String version,
            String tokenUrl,
            String clientId,
            String clientSecret,
            String scope,
            @DefaultValue("generic") OneRosterProvider provider,
            Integer pageSize,
            Integer requestsPerMinute,
            ClientAuthentication clientAuthentication,
            Boolean deltas,
            @DefaultValue("10m") Duration deltaMargin) {}

    /**
     * @param sourceId the school's id at the district's source: its Clever id, or its OneRoster org sourcedId
     * @param cleverId the school's Clever id (the older name of {@code source-id}, for Clever districts)
     * @param jdbcUrl  {@code jdbc:sqlserver:}, {@code jdbc:postgresql:} or {@code jdbc:h2:}
     */
    public record School(String sourceId, String cleverId, String jdbcUrl, String username, String password,
                         Integer aeriesSchoolCode) {
        public static School clever(String cleverId, String jdbcUrl, String username, String password) {
            return new School(null, cleverId, jdbcUrl, username, password, null);
        }
    }

    /**
     * @param batchSize          rows per school per database transaction
     * @param connectionTimeout  how long to wait for a school database connection before the batch fails
     * @param maxPoolSize        connections per school database
     * @param migrationThreads   school databases migrated at once, service-wide (each migrates on its first use)
     * @param idleConnections    school databases that keep a connection open between uses, service-wide: the most
     *                           recently used; the others close theirs (about one connection each)
     * @param writerThreads      threads writing batches into school databases while pages are fetched
     * @param maxConcurrentDistricts runs of districts at once in this service; a run started beyond it waits its turn
     * @param writeAttempts      attempts per batch (first included) on a lost connection, deadlock or timeout
     * @param writeRetryDelay    first delay between attempts, doubling with jitter up to {@code writeRetryMaxDelay}
     * @param maxArchiveShare    the largest share (percent) of a school's active students, teachers or
     *                           sections one full sync may archive; above it, it archives nothing
     * @param acceptMassArchive  schools ({@code district/school}) whose next full sync may archive any share, once
     * @param omitFields         Clever fields never stored (e.g. {@code dob, email}): removed, at any depth, from
     *                           every record before it is mapped, so from the columns and from raw_json
     */
    public record Sync(
            @DefaultValue("500") int batchSize,
            @DefaultValue("10s") Duration connectionTimeout,
            @DefaultValue("4") int maxPoolSize,
            @DefaultValue("4") int migrationThreads,
            @DefaultValue("64") int idleConnections,
            @DefaultValue("2") int writerThreads,
            @DefaultValue("4") int maxConcurrentDistricts,
            @DefaultValue("4") int writeAttempts,
            @DefaultValue("1s") Duration writeRetryDelay,
            @DefaultValue("30s") Duration writeRetryMaxDelay,
            @DefaultValue("20") double maxArchiveShare,
            @DefaultValue List<String> acceptMassArchive,
            @DefaultValue List<String> omitFields) {}

    /**
     * @param users by login name; none configured: one OPERATOR {@code admin} with a password generated
     *              and printed once at startup
     */
    public record Management(Map<String, User> users) {
        public Management {
            users = users == null ? Map.of() : users;
        }
    }

    /**
     * @param password Spring Security's DelegatingPasswordEncoder format: {@code {bcrypt}…} (or {@code {noop}…},
     *                 accepted with a warning); may be a placeholder
     * @param roles    {@code VIEWER} (read everything) and/or {@code OPERATOR} (also start runs, suspend, resume, accept)
     */
    public record User(String password, List<Role> roles) {
        public User {
            roles = roles == null ? List.of() : roles;
        }
    }

    public enum Role { VIEWER, OPERATOR }

    /**
     * One JSON message per school whose run ended FAILED or PARTIAL or tripped the mass-archive guard,
     * POSTed to a webhook (Microsoft Teams, Slack or any HTTP receiver) in the background: retried,
     * then dropped with a warning; it never delays or fails a sync.
     *
     * @param webhookUrl http(s) URL of the receiver; a secret (Teams and Slack put the credential in the URL),
     *                   so best a placeholder such as {@code {{azure:teams-webhook}}}; never logged. None: no notifications
     * @param retry      attempts per message and the backoff between them
     * @param timeout    how long one attempt may take to connect, and then to be answered
     */
    public record Notifications(
            String webhookUrl,
            @DefaultValue Retry retry,
            @DefaultValue("10s") Duration timeout) {}

    /**
     * The control database (PostgreSQL or SQL Server) that several replicas share: Quartz's clustered
     * job store, so that each fire of a schedule runs on one replica, and a lease per running district,
     * so that no district runs on two replicas at once, however its run was started. Its tables are
     * created by Flyway at startup.
     *
     * @param jdbcUrl         {@code jdbc:postgresql:} or {@code jdbc:sqlserver:}; none: a single replica, schedules in memory
     * @param username        may be a placeholder such as {@code {{azure:control-db-user}}}
     * @param password        may be a placeholder
     * @param leaseTtl        how long a district's lease lasts without renewal: a replica that dies (kill -9,
     *                        a lost node) holds its districts that long before another replica takes them over
     * @param leaseRenewal    how often a replica renews its leases and looks for stale ones to take over
     * @param checkinInterval how often each replica checks in to Quartz's cluster (a replica that stops checking in
     *                        is considered dead, and the schedule it was running is released to the others)
     */
    public record Control(
            String jdbcUrl,
            String username,
            String password,
            @DefaultValue("30s") Duration leaseTtl,
            @DefaultValue("10s") Duration leaseRenewal,
            @DefaultValue("15s") Duration checkinInterval) {}

    /**
     * The simulator serves a generated district on loopback. {@code enabled} defaults to "when no
     * district is configured", which is the zero-configuration demo.
     */
    public record Sandbox(
            Boolean enabled,
            @DefaultValue("0") int port,
            @DefaultValue("sandbox-token") String token,
            @DefaultValue("1200") int requestsPerMinute,
            @DefaultValue("data") String dataDir,
            @DefaultValue("4") int schools,
            @DefaultValue("600") int students,
            @DefaultValue("40") int teachers,
            @DefaultValue("8") int staff,
            @DefaultValue("120") int sections,
            @DefaultValue("20") int studentsPerSection,
            @DefaultValue("2") int terms,
            @DefaultValue("30") int courses,
            @DefaultValue("42") long seed) {}
}
