package com.cleversync.sync;

import com.cleversync.clever.CleverApi;
import com.cleversync.clever.EventCursorRejectedException;
import com.cleversync.clever.CleverPage;
import com.cleversync.clever.CleverRecord;
import com.cleversync.clever.CleverRejectedException;
import com.cleversync.clever.CleverResource;
import com.cleversync.clever.CleverUnavailableException;
import com.cleversync.clever.RateLimitWait;
import com.cleversync.config.CleverSyncProperties;
import com.cleversync.school.OmittedFields;
import com.cleversync.school.RecordMapping;
import com.cleversync.school.SchoolRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The sync of one district, started by a district's schedules, at startup, or by run-once, always
 * through {@code direct:sync-district} with headers {@link DistrictRuns#DISTRICT} and
 * {@link DistrictRuns#MODE}. A full sync pages every list (page → split → map → route to school →
 * batch per school → the school's writer lane); an incremental sync pages the events feed the same
 * way and applies each event in order. Each page ends with a checkpoint per school, committed with
 * that school's last batch of the page.
 *
 * <p>Calls to Clever go through three layers: the district's list route retries a page with
 * exponential backoff and jitter on 5xx, timeouts, dropped connections and malformed bodies; the
 * district's page route waits out 429s (which never use up a retry) and wraps every request in the
 * district's circuit breaker; the shared permit route throttles requests per token. HttpClient's own retries are
 * off ({@code camel.component.http.automatic-retries-disabled}), so these layers see every request sent.
 */
@Component
class DistrictSyncRoutes extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(DistrictSyncRoutes.class);
    private static final String RESOURCE = "cleverResource";
    private static final String NEXT_PAGE = "cleverNextPage";
    /** Milliseconds to wait before the next request of a page: positive after a 429, 0 otherwise. */
    private static final String RATE_LIMIT_WAIT = "cleverRateLimitWait";
    private static final String RATE_LIMITED = "cleverRateLimited";
    private static final String TOKEN_KEY = "CleverSyncTokenKey";
    private static final String SCHOOL_ROUTE = "CleverSyncSchoolRoute";
    private static final String LANE = "CleverSyncLane";
    private static final String BATCH = "CleverSyncBatch";
    /** The running district's key (a property: a request to Clever clears the exchange's own headers). */
    private static final String DISTRICT = "${exchangeProperty." + DistrictRuns.DISTRICT + "}";

    private final CleverApi api;
    private final DistrictRuns runs;
    private final SchoolWriters writers;
    private final SyncDistricts districts;
    private final CleverSyncProperties.Clever clever;
    private final int batchSize;
    private final OmittedFields omitted;
    private final SyncMetrics metrics;

    DistrictSyncRoutes(CleverApi api, DistrictRuns runs, SchoolWriters writers, SyncDistricts districts,
                       CleverSyncProperties properties, OmittedFields omitted, SyncMetrics metrics) {
        this.omitted = omitted;
        this.metrics = metrics;
        this.api = api;
        this.runs = runs;
        this.writers = writers;
        this.districts = districts;
        this.clever = properties.clever();
        this.batchSize = properties.sync().batchSize();
    }

    @Override
    public void configure() {
        from("direct:sync-district").routeId("sync-district")
            .process(runs::begin)
            .doTry()
                .filter(exchange -> run(exchange).incremental())
                    .to("direct:incremental-sync")
                .end()
                .filter(exchange -> !run(exchange).incremental())
                    .to("direct:full-sync")
                .end()
            .endDoTry()
            .doCatch(Exception.class)
                .process(runs::fail)
            .doFinally()
                .to("direct:end-of-run")
                .process(runs::finish)
            .end();

        // Completes every school's open batch, failed schools included, whether the run completed or
        // not: records routed before a failure are still written, and nothing is left behind.
        from("direct:end-of-run").routeId("end-of-run")
            .split(method(this, "endOfRun"))
                .to("direct:school-batches")
            .end();

        // Applies Clever's events after the schools' cursors; a rejected cursor turns the run into a full sync.
        from("direct:incremental-sync").routeId("incremental-sync")
            .doTry()
                .setBody(constant(CleverResource.EVENTS))
                .toD("direct:clever-list-" + DISTRICT)
            .doCatch(EventCursorRejectedException.class)
                .process(runs::fallBackToFull)
            .end();

        // Reads the newest event first, so nothing that changes while the lists are read is missed;
        // then every list (resumed after what each school committed), then archiving per school.
        from("direct:full-sync").routeId("full-sync")
            .doTry()
                .toD("direct:newest-event-" + DISTRICT)
            .doCatch(EventCursorRejectedException.class)
                .process(runs::eventsUnavailable)
            .end()
            .process(runs::beginPasses)
            .split(constant(CleverResource.LISTS)).stopOnException()
                .toD("direct:clever-list-" + DISTRICT)
            .end()
            .process(runs::completePasses);

        for (SyncDistrict district : districts.all()) {
            listRoute(district);
            pageRoute(district);
            newestEventRoute(district);
        }

        // A permit for every request to Clever: at most requests-per-minute per token in any
        // rate-limit-window (each permit returns a window after use, so Clever's fixed minute windows
        // are never exceeded), shared by every route using the token. Blocks the caller when spent.
        from("direct:clever-permit").routeId("clever-permit")
            .errorHandler(noErrorHandler())
            .throttle(constant(clever.requestsPerMinute())).totalRequestsMode()
                    .timePeriodMillis(clever.rateLimitWindow().toMillis())
                    .correlationExpression(header(TOKEN_KEY)).asyncDelayed(false);

        // The records of a page, one by one, to every configured school they belong to. A route of its
        // own so that the list route's retry policy (which wraps each step it contains in the full
        // redelivery machinery) stays off the per-record path.
        from("direct:page-records").routeId("page-records")
            .split(body()).streaming()
                .transform().body(CleverRecord.class, this::map)
                .split(method(this, "toSchools"))
                    .to("direct:school-batches")
                .end()
            .end();

        // A page of events, applied as a unit: its batches per school, in feed order, each school's last
        // one with the archives and the cursor after the page. A page is bounded (at most page-size events).
        from("direct:event-records").routeId("event-records")
            .split(method(this, "eventBatches"))
                .to("direct:school-lane")
            .end();

        // Ends every school's open batch after a page of a list: a mark per school completes its batch,
        // which then commits the checkpoint the page reached for that school.
        from("direct:page-checkpoints").routeId("page-checkpoints")
            .split(method(this, "checkpoints"))
                .to("direct:school-batches")
            .end();

        // Batches records per school; a full batch, or one that a mark ends, goes to the school's writer
        // lane. A batch belongs to one run and one school: a run's open batches never take another run's records.
        from("direct:school-batches").routeId("school-batches")
            .setHeader(BATCH).body(ForSchool.class, item -> item.school().runId() + "/" + item.school().school().routeId())
            .aggregate(header(BATCH), new SchoolBatchAggregation())
                    .completionSize(batchSize)
                    .completionPredicate(body().isInstanceOf(PositionMark.class)).eagerCheckCompletion()
                .filter(exchange -> !exchange.getMessage().getBody(SchoolBatch.class).isEmpty())
                    .to("direct:school-lane")
                .end()
            .end();

        // A completed batch goes to its school's writer lane (a full lane makes the district wait).
        from("direct:school-lane").routeId("school-lane")
            .setHeader(SCHOOL_ROUTE).body(SchoolBatch.class, batch -> batch.school().school().routeId())
            .setHeader(LANE).body(SchoolBatch.class, batch -> writers.uriOf(batch.school()))
            .toD("${header." + LANE + "}");

        // One consumer per lane writes its schools' batches in order, through each school's writer
        // route; a failure there fails only that school. The run waits for its batches (DistrictRun.finish).
        for (int lane = 0; lane < writers.lanes(); lane++) {
            from(writers.uri(lane)).routeId("school-writer-lane-" + lane)
                .process(runs::batchStarted)
                .doTry()
                    .toD("direct:${header." + SCHOOL_ROUTE + "}?block=false")
                .doCatch(Exception.class)
                    .process(runs::batchFailed)
                .end()
                .process(runs::batchDone);
        }
    }

    /** Retries a page on 5xx, timeouts, dropped connections and malformed bodies, with backoff and jitter. */
    private ProcessorDefinition<?> withPageRetries(RouteDefinition route) {
        CleverSyncProperties.Retry retry = clever.retry();
        return route.onException(CleverUnavailableException.class, IOException.class)
                .maximumRedeliveries(retry.attempts() - 1)
                .redeliveryDelay(retry.initialDelay().toMillis())
                .useExponentialBackOff().backOffMultiplier(2)
                .maximumRedeliveryDelay(retry.maxDelay().toMillis())
                .useCollisionAvoidance()
                .retryAttemptedLogLevel(LoggingLevel.WARN).logRetryStackTrace(false)
            .end();
    }

    /**
     * The newest event of the district's feed ({@code ending_before=last&limit=1}), or none. Retried
     * like a page (a doTry here would bypass the retries); the caller handles a refused feed.
     */
    private void newestEventRoute(SyncDistrict district) {
        withPageRetries(from("direct:newest-event-" + district.key()).routeId("newest-event-" + district.key()))
            .setVariable(RESOURCE, constant(CleverResource.EVENTS))
            .setVariable(NEXT_PAGE, constant(CleverResource.API_VERSION + "/events?ending_before=last&limit=1"))
            .to("direct:clever-page-" + district.key())
            .process(runs::newestEvent);
    }

    /**
     * Pages through one list or the events feed (body: the CleverResource) following
     * links[rel=next], retrying a failed page; a resumed full sync starts after what its schools
     * committed, and a list no school needs is not read at all.
     */
    private void listRoute(SyncDistrict district) {
        withPageRetries(from("direct:clever-list-" + district.key()).routeId("clever-list-" + district.key()))
            .setVariable(RESOURCE, body())
            .setVariable(NEXT_PAGE).exchange(e -> run(e).firstPage(e.getMessage().getBody(CleverResource.class),
                    api.pageSize()))
            .loopDoWhile(variable(NEXT_PAGE).isNotNull()).breakOnShutdown()
                // Camel counts redeliveries in headers of this exchange, which lives for the whole
                // list: each page starts with the full retry budget
                .removeHeaders("CamelRedeliver*")
                .to("direct:clever-page-" + district.key())
                // the cursor advances here, not inside the page route: the circuit breaker runs that
                // route on a copy whose removed (null) variables would not be copied back
                .setVariable(NEXT_PAGE).body(CleverPage.class, CleverPage::next)
                .process(e -> run(e).pageRead(e.getVariable(RESOURCE, CleverResource.class)))
                // every record's exchange is a copy of this one: keep the breaker's result properties
                // and the page route's rate-limit variables off it
                .removeProperties("CamelCircuitBreaker*")
                .removeVariable(RATE_LIMITED)
                .removeVariable(RATE_LIMIT_WAIT)
                .choice()
                    .when(variable(RESOURCE).isEqualTo(CleverResource.EVENTS))
                        .to("direct:event-records")
                    .otherwise()
                        .to("direct:page-records")
                        .to("direct:page-checkpoints")
                .end()
            .end()
            // the loop also ends when Camel shuts down: a list read only in part must fail the run
            // (its checkpoints stay for the next run to resume), never pass for a complete one
            .filter(variable(NEXT_PAGE).isNotNull())
                .throwException(new SyncInterruptedException("the sync stopped before the end of a list"
                        + " because the service is shutting down"))
            .end();
    }

    /**
     * Fetches and validates one page (the request in variable NEXT_PAGE). The district's circuit
     * breaker wraps exactly one request and its validation: it runs them synchronously on a copy of
     * the exchange, so waiting out a 429 and waiting for a rate-limit permit happen outside it.
     */
    private void pageRoute(SyncDistrict district) {
        CleverSyncProperties.CircuitBreaker breaker = clever.circuitBreaker();
        from("direct:clever-page-" + district.key()).routeId("clever-page-" + district.key())
            .errorHandler(noErrorHandler()) // the list route retries the whole page
            .setVariable(RATE_LIMIT_WAIT, constant(0L))
            .setVariable(RATE_LIMITED, constant(true))
            .loopDoWhile(variable(RATE_LIMITED).isEqualTo(true)).breakOnShutdown()
                .delay(variable(RATE_LIMIT_WAIT)).syncDelayed()
                // only an observed 429 repeats the loop; a failure ends it and goes to the list route
                .setVariable(RATE_LIMITED, constant(false))
                .process(this::pageRequest)
                .to("direct:clever-permit")
                .circuitBreaker().id("clever-breaker-" + district.key())
                    .resilience4jConfiguration()
                        .failureRateThreshold(breaker.failureRateThreshold())
                        .slidingWindowSize(breaker.slidingWindowSize())
                        .minimumNumberOfCalls(breaker.minimumNumberOfCalls())
                        .waitDurationInOpenState((int) breaker.waitInOpenState().toSeconds())
                        .permittedNumberOfCallsInHalfOpenState(breaker.halfOpenCalls())
                        .automaticTransitionFromOpenToHalfOpenEnabled(true)
                        .throwExceptionWhenHalfOpenOrOpenState(true)
                    .end()
                    .to(api.baseUrl() + "?throwExceptionOnFailure=false&disableStreamCache=true")
                    .process(this::pageResponse)
                .end()
            .end();
    }

    public List<RoutedRecord> toSchools(SchoolRecord record, @ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        return run.route(record).stream().map(school -> new RoutedRecord(school, record)).toList();
    }

    public List<SchoolBatch> eventBatches(CleverPage page, @ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        return run.eventBatches(page, batchSize, this::map);
    }

    /** A mark without checkpoint for every school of the run: completes its open batch, if any. */
    public List<PositionMark> endOfRun(@ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        return run.schools().stream().map(school -> new PositionMark(school, null, List.of())).toList();
    }

    /** Body: the page just routed. */
    public List<PositionMark> checkpoints(CleverPage page, @ExchangeProperty(DistrictRuns.RUN) DistrictRun run,
                                          @org.apache.camel.Variable(RESOURCE) CleverResource resource) {
        return run.checkpoints(resource, page);
    }

    /** A Clever record as a school's row, without the fields the schools may not store. */
    private SchoolRecord map(CleverRecord record) {
        return RecordMapping.map(omitted.apply(record));
    }

    private static DistrictRun run(Exchange exchange) {
        return exchange.getProperty(DistrictRuns.RUN, DistrictRun.class);
    }

    private void pageRequest(Exchange exchange) {
        DistrictRun run = exchange.getProperty(DistrictRuns.RUN, DistrictRun.class);
        clearResponseHeaders(exchange.getMessage());
        exchange.getMessage().setBody(null);
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
        exchange.getMessage().setHeader(Exchange.HTTP_URI, api.baseUrl() + exchange.getVariable(NEXT_PAGE, String.class));
        String token = run.district().token().current();
        exchange.getMessage().setHeader("Authorization", "Bearer " + token);
        exchange.getMessage().setHeader(TOKEN_KEY, Integer.toHexString(token.hashCode()));
    }

    /** After a 429: wait as Clever says and ask again (a 429 never uses up a retry). */
    private void waitForRateLimitReset(Exchange exchange) {
        Message message = exchange.getMessage();
        drain(message);
        Duration wait = RateLimitWait.after429(message.getHeader("X-RateLimit-Reset", String.class),
                message.getHeader("Retry-After", String.class), clever.rateLimitWait(), Instant.now());
        exchange.setVariable(RATE_LIMIT_WAIT, wait.toMillis());
        DistrictRun run = exchange.getProperty(DistrictRuns.RUN, DistrictRun.class);
        metrics.rateLimitWait(run.district().key(), wait);
        LOG.info("run {} district {}: Clever rate limit reached; waiting {} ms", run.id(), run.district().key(),
                wait.toMillis());
    }

    /** Turns the response into a validated page, or into a retryable or final failure. */
    private void pageResponse(Exchange exchange) {
        Message message = exchange.getMessage();
        CleverResource resource = exchange.getVariable(RESOURCE, CleverResource.class);
        String requested = exchange.getVariable(NEXT_PAGE, String.class);
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        metrics.cleverRequest(exchange.getProperty(DistrictRuns.RUN, DistrictRun.class).district().key(), status);
        exchange.setVariable(RATE_LIMITED, status == 429);
        if (status == 429) {
            waitForRateLimitReset(exchange);
            return;
        }
        if (status == 200) {
            CleverPage page = CleverPage.parse(resource, requested, message.getBody(InputStream.class));
            clearResponseHeaders(message);
            message.setBody(page);
            return;
        }
        drain(message);
        DistrictRun run = exchange.getProperty(DistrictRuns.RUN, DistrictRun.class);
        String failure = "HTTP " + status + " from GET " + requested;
        if (status == 401) {
            if (run.district().token().reload()) {
                throw new CleverUnavailableException(failure + ": the district token was rotated; retrying with the new one");
            }
            throw new CleverRejectedException(failure + ": Clever rejects district " + run.district().key()
                    + "'s token, also after reading it again from configuration");
        }
        if (status >= 500) {
            throw new CleverUnavailableException(failure);
        }
        if (resource == CleverResource.EVENTS && (status == 400 || status == 404 || status == 410)) {
            throw new EventCursorRejectedException(failure);
        }
        throw new CleverRejectedException(failure);
    }

    /**
     * Removes the previous response's headers so they are not sent back to Clever. Camel's own
     * headers stay: they include the redelivery counter, without which a retry would never end.
     */
    private static void clearResponseHeaders(Message message) {
        message.removeHeaders("*", "Camel*");
    }

    private static void drain(Message message) {
        try (InputStream body = message.getBody(InputStream.class)) {
            if (body != null) {
                body.transferTo(OutputStream.nullOutputStream());
            }
        } catch (IOException e) {
            // the body of a failed response is of no interest; the connection is discarded
        }
    }

}
