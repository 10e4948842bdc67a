package com.cleversync.sync;

import com.cleversync.aeries.AeriesAbsenceCodes;
import com.cleversync.aeries.AeriesApi;
import com.cleversync.aeries.AeriesAttendanceMapping;
import com.cleversync.aeries.AeriesAttendancePage;
import com.cleversync.aeries.AeriesConversation;
import com.cleversync.aeries.AeriesRequest;
import com.cleversync.aeries.AeriesUnavailableException;
import com.cleversync.aeries.InvalidAeriesAnswerException;
import com.cleversync.clever.CleverApi;
import com.cleversync.clever.CleverConversation;
import com.cleversync.clever.CleverPage;
import com.cleversync.clever.CleverResource;
import com.cleversync.clever.CleverUnavailableException;
import com.cleversync.config.CleverSyncProperties;
import com.cleversync.school.SchoolDatabase;
import com.cleversync.school.SchoolRecord;
import com.cleversync.school.SchoolTable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A district's attendance sync ({@code direct:attendance-sync}, from {@link DistrictSyncRoutes} for a run
 * in mode {@code attendance}): the {@link AttendancePlan}'s chunks, one school's days at a time (read →
 * the school's batches → its writer lane → its writer route), each chunk ending with the archive orders
 * for what the school holds inside the correction window that the chunk did not give again, and the
 * school's checkpoint, committed after the chunk's records. A chunk that fails fails its school only.
 *
 * <p>Clever's attendance ({@code GET /v3.1/attendance/schools/{id}}, paged by its cursor) goes through the
 * district's Clever page route: the same per-token permits, circuit breaker and 429 handling as its
 * roster. Aeries ({@code GET /api/v5/schools/{code}/attendance}, one answer per chunk, after the school's
 * AbsenceCodes once per run) has a page route of its own: its breaker {@code aeries-breaker-<district>},
 * its permits ({@code attendance.aeries.requests-per-minute} per district), retries as for Clever.
 */
@Component
class AttendanceSyncRoutes extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(AttendanceSyncRoutes.class);
    /** Exchange property: the {@link AttendancePlan.Chunk} being read. */
    private static final String CHUNK = "CleverSyncAttendanceChunk";
    /** Exchange property: where the district's attendance comes from ({@code clever}, {@code aeries}). */
    private static final String SOURCE = "CleverSyncAttendanceSource";
    private static final String DISTRICT = "${exchangeProperty." + DistrictRuns.DISTRICT + "}";
    /** Clever's attendance answers at most this many records a page. */
    private static final int CLEVER_ATTENDANCE_LIMIT = 1000;

    private final CleverApi clever;
    private final AeriesConversation aeries;
    private final SchoolBatches batches;
    private final SyncDistricts districts;
    private final CleverSyncProperties.Clever resilience;

    AttendanceSyncRoutes(CleverApi clever, SchoolBatches batches, SyncDistricts districts,
                         CleverSyncProperties properties, SyncMetrics metrics) {
        this.clever = clever;
        this.aeries = new AeriesConversation(properties.clever().rateLimitWait(), metrics);
        this.batches = batches;
        this.districts = districts;
        this.resilience = properties.clever();
    }

    @Override
    public void configure() {
        from("direct:attendance-sync").routeId("attendance-sync")
            .setProperty(SOURCE, method(this, "source"))
            .split(method(this, "chunks"))
                .setProperty(CHUNK, body())
                .filter(method(this, "schoolFailed"))
                    .stop() // a school that failed in this run reads nothing more; its checkpoint stays
                .end()
                .doTry()
                    .toD("direct:attendance-${exchangeProperty." + SOURCE + "}-" + DISTRICT)
                    .bean(this, "chunkRead")
                    .to("direct:school-lanes")
                .doCatch(Exception.class)
                    .bean(this, "chunkFailed")
                .end()
            .end();

        boolean anyAeries = false;
        for (SyncDistrict district : districts.all()) {
            if (district.attendance() == null) {
                continue;
            }
            if (district.attendance().source() instanceof SyncAttendance.Source.Aeries source) {
                aeriesRoutes(district, source.api());
                anyAeries = true;
            } else {
                cleverRoute(district);
            }
        }
        if (anyAeries) {
            // At most requests-per-minute per district in any rate-limit-window, blocking the caller when spent.
            from("direct:aeries-permit").routeId("aeries-permit")
                .errorHandler(noErrorHandler())
                .throttle(header(AeriesConversation.PERMITS)).totalRequestsMode()
                        .timePeriodMillis(resilience.rateLimitWindow().toMillis())
                        .correlationExpression(header(AeriesConversation.PERMIT_KEY)).asyncDelayed(false);
        }
    }

    /** A school's days from Clever, page after page, through the district's Clever page route. */
    private void cleverRoute(SyncDistrict district) {
        String routeId = "attendance-clever-" + district.key();
        SourceRoutes.withPageRetries(from("direct:" + routeId).routeId(routeId), resilience.retry(),
                CleverUnavailableException.class, IOException.class)
            .setProperty(CleverConversation.DISTRICT, exchangeProperty(DistrictRuns.DISTRICT))
            .setProperty(CleverConversation.TOKEN, method(this, "cleverToken"))
            .setVariable(CleverConversation.RESOURCE, constant(CleverResource.ATTENDANCE))
            .setVariable(CleverConversation.PAGE, method(this, "cleverFirstPage"))
            .loopDoWhile(variable(CleverConversation.PAGE).isNotNull()).breakOnShutdown()
                // each page starts with the full retry budget (see CleverSyncRoutes)
                .removeHeaders("CamelRedeliver*")
                .to("direct:clever-page-" + district.key())
                .setVariable(CleverConversation.PAGE).body(CleverPage.class, CleverPage::next)
                .bean(this, "cleverPage")
                .to("direct:school-lanes")
            .end()
            .filter(variable(CleverConversation.PAGE).isNotNull())
                .throwException(new SyncInterruptedException("the attendance sync stopped before the end of a"
                        + " school's days because the service is shutting down"))
            .end();
    }

    /** A school's days from Aeries: its absence codes once per run, then one answer for the chunk. */
    private void aeriesRoutes(SyncDistrict district, AeriesApi api) {
        String routeId = "attendance-aeries-" + district.key();
        String page = "aeries-page-" + district.key();
        SourceRoutes.withPageRetries(from("direct:" + routeId).routeId(routeId), resilience.retry(),
                AeriesUnavailableException.class, InvalidAeriesAnswerException.class, IOException.class)
            .setProperty(AeriesConversation.DISTRICT, exchangeProperty(DistrictRuns.DISTRICT))
            .setProperty(AeriesConversation.API, constant(api))
            .setProperty(AeriesConversation.CERTIFICATE, method(this, "aeriesCertificate"))
            .filter(method(this, "needsAeriesCodes"))
                .removeHeaders("CamelRedeliver*")
                .setVariable(AeriesConversation.REQUEST, method(this, "aeriesCodesRequest"))
                .to("direct:" + page)
                .bean(this, "aeriesMapping")
            .end()
            .removeHeaders("CamelRedeliver*")
            .setVariable(AeriesConversation.REQUEST, method(this, "aeriesAttendanceRequest"))
            .to("direct:" + page)
            .bean(this, "aeriesPage")
            .to("direct:school-lanes");
        SourceRoutes.pageRoute(this, page, "aeries-breaker-" + district.key(), new SourceRoutes.Page(aeries,
                "direct:aeries-permit", api.baseUrl(), AeriesConversation.RATE_LIMITED, AeriesConversation.WAIT,
                AeriesRequest.CERTIFICATE_HEADER), resilience.circuitBreaker());
    }

    public String source(@ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        return run.attendancePlan().source();
    }

    /** The run's chunks, all schools' first chunk first. */
    public List<AttendancePlan.Chunk> chunks(@ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        List<AttendancePlan.Chunk> chunks = run.attendancePlan().chunks();
        LOG.info("run {} district {}: {} chunks of attendance to read", run.id(), run.district().key(), chunks.size());
        return chunks;
    }

    /**
     * The end of a school's chunk, after its records' batches: the archive orders for what the school
     * holds inside the correction window and the chunk did not give again, and the checkpoint.
     */
    public List<SchoolBatch> chunkRead(@ExchangeProperty(CHUNK) AttendancePlan.Chunk chunk,
                                       @ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        SchoolRun school = chunk.school();
        if (school.failed()) {
            return List.of();
        }
        AttendancePlan plan = run.attendancePlan();
        List<SchoolRecord> corrections = List.of();
        if (chunk.archivedFrom() != null) {
            try {
                corrections = plan.corrections(chunk, school.school().database().activeAttendance(plan.source(),
                        chunk.archivedFrom(), chunk.to()));
            } catch (Exception e) {
                school.fail("school database unavailable: " + Failures.describe(e));
                return List.of();
            }
        }
        return batches.batches(Map.of(school, corrections), Map.of(school, plan.checkpoint(chunk)));
    }

    /** A chunk that could not be read fails its school (its checkpoint stays where the last chunk left it). */
    public void chunkFailed(@ExchangeProperty(CHUNK) AttendancePlan.Chunk chunk,
                            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception e,
                            @ExchangeProperty(DistrictRuns.RUN) DistrictRun run) throws Exception {
        if (Failures.unwrapped(e) instanceof SyncInterruptedException) {
            throw e; // the service is stopping: the whole run ends here
        }
        chunk.school().fail("attendance " + chunk.from() + ".." + chunk.to() + " could not be read: "
                + Failures.describe(e));
        LOG.error("run {} school {}: {}", run.id(), chunk.school().school().routeId(), chunk.school().errorSummary());
    }

    public Object cleverToken(@ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        return ((SyncAttendance.Source.Clever) run.district().attendance().source()).token();
    }

    public boolean schoolFailed(@ExchangeProperty(CHUNK) AttendancePlan.Chunk chunk) {
        return chunk.school().failed();
    }

    /** The chunk's first page of Clever attendance. */
    public String cleverFirstPage(@ExchangeProperty(CHUNK) AttendancePlan.Chunk chunk) {
        return CleverResource.attendancePage(chunk.school().school().sourceId(),
                chunk.from(), chunk.to(), Math.min(clever.pageSize(), CLEVER_ATTENDANCE_LIMIT));
    }

    /** A page of Clever attendance as the school's batches. */
    @SuppressWarnings("unchecked") // the attendance reader maps each record to a SchoolRecord
    public List<SchoolBatch> cleverPage(@Body CleverPage<?> page, @ExchangeProperty(CHUNK) AttendancePlan.Chunk chunk,
                                        @ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        run.pageRead(CleverResource.ATTENDANCE.label());
        return schoolBatches(run, chunk, (List<SchoolRecord>) page.items());
    }

    public Object aeriesCertificate(@ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        return ((SyncAttendance.Source.Aeries) run.district().attendance().source()).certificate();
    }

    /** Whether the school's codes and matches have yet to be read in this run. */
    public boolean needsAeriesCodes(@ExchangeProperty(CHUNK) AttendancePlan.Chunk chunk,
                                    @ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        return run.attendancePlan().reader(chunk.school()) == null;
    }

    public AeriesRequest aeriesCodesRequest(@ExchangeProperty(CHUNK) AttendancePlan.Chunk chunk,
                                            @ExchangeProperty(AeriesConversation.API) AeriesApi api) {
        return AeriesRequest.absenceCodes(chunk.school().school().aeriesSchoolCode(), api.databaseYear());
    }

    /**
     * The school's mapping, from its codes and from its database: its students by the configured match
     * column, its sections by section number.
     */
    public void aeriesMapping(@Body AeriesAbsenceCodes codes, @ExchangeProperty(CHUNK) AttendancePlan.Chunk chunk,
                              @ExchangeProperty(AeriesConversation.API) AeriesApi api,
                              @ExchangeProperty(DistrictRuns.RUN) DistrictRun run) throws Exception {
        SyncSchool school = chunk.school().school();
        SchoolDatabase db = school.database();
        Map<String, String> students = db.idsBy(SchoolTable.STUDENTS, api.match().column());
        Map<String, String> sections = db.idsBy(SchoolTable.SECTIONS, "section_number");
        if (students.isEmpty()) {
            LOG.warn("run {} school {}: no active student has a {}: every Aeries record will be rejected as unmatched"
                    + " (has the roster synced? is attendance.aeries.student-match right?)", run.id(), school.routeId(),
                    api.match().column());
        }
        run.attendancePlan().reader(chunk.school(),
                new AeriesAttendanceMapping(school.sourceId(), codes, api.match(), students, sections));
    }

    public AeriesRequest aeriesAttendanceRequest(@ExchangeProperty(CHUNK) AttendancePlan.Chunk chunk,
                                                 @ExchangeProperty(AeriesConversation.API) AeriesApi api) {
        return AeriesRequest.attendance(chunk.school().school().aeriesSchoolCode(), chunk.from(), chunk.to(),
                api.databaseYear());
    }

    /** An Aeries answer as the school's batches. */
    public List<SchoolBatch> aeriesPage(@Body AeriesAttendancePage page, @ExchangeProperty(CHUNK) AttendancePlan.Chunk chunk,
                                        @ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        run.pageRead(CleverResource.ATTENDANCE.label());
        AeriesAttendanceMapping mapping = (AeriesAttendanceMapping) run.attendancePlan().reader(chunk.school());
        return schoolBatches(run, chunk, mapping.map(page));
    }

    private List<SchoolBatch> schoolBatches(DistrictRun run, AttendancePlan.Chunk chunk, List<SchoolRecord> records) {
        List<SchoolRecord> routed = run.attendancePlan().given(chunk, run.routing().forSchool(chunk.school(), records));
        return routed.isEmpty() ? List.of() : batches.batches(Map.of(chunk.school(), routed), Map.of());
    }
}
