package com.cleversync.sync;

import com.cleversync.clever.CleverApi;
import com.cleversync.clever.CleverPage;
import com.cleversync.clever.CleverRecord;
import com.cleversync.clever.CleverRejectedException;
import com.cleversync.clever.CleverResource;
import com.cleversync.clever.CleverUnavailableException;
import com.cleversync.clever.RateLimitWait;
import com.cleversync.config.CleverSyncProperties;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The full sync of one district: for each Clever list, page → split → map → route to school →
 * batch per school → the school's writer route. Started by a district's schedule, at startup, or
 * by run-once, always through {@code direct:sync-district} with header {@link DistrictRuns#DISTRICT}.
 *
 * <p>Calls to Clever go through three layers: the district's list route retries a page with
 * exponential backoff and jitter on 5xx, timeouts, dropped connections and malformed bodies; the
 * district's page route waits out 429s (which never use up a retry) and wraps every request in the
 * district's circuit breaker; the shared permit route throttles requests per token.
 */
@Component
class FullSyncRoutes extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(FullSyncRoutes.class);
    private static final String RESOURCE = "cleverResource";
    private static final String NEXT_PAGE = "cleverNextPage";
    /** Milliseconds to wait before the next request of a page: positive after a 429, 0 otherwise. */
    private static final String RATE_LIMIT_WAIT = "cleverRateLimitWait";
    private static final String RATE_LIMITED = "cleverRateLimited";
    private static final String TOKEN_KEY = "CleverSyncTokenKey";
    private static final String SCHOOL_ROUTE = "CleverSyncSchoolRoute";
    private static final String FLUSH = "CleverSyncFlush";

    private final CleverApi api;
    private final DistrictRuns runs;
    private final SchoolWriters writers;
    private final SyncDistricts districts;
    private final CleverSyncProperties.Clever clever;
    private final int batchSize;

    FullSyncRoutes(CleverApi api, DistrictRuns runs, SchoolWriters writers, SyncDistricts districts,
                   CleverSyncProperties properties) {
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
                .split(constant(List.of(CleverResource.values()))).stopOnException()
                    .toD("direct:clever-list-${header." + DistrictRuns.DISTRICT + "}")
                    .to("direct:flush-batches")
                .endDoTry()
            .doCatch(Exception.class)
                .process(runs::fail)
            .doFinally()
                .process(runs::finish)
            .end();

        for (SyncDistrict district : districts.all()) {
            listRoute(district);
            pageRoute(district);
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
                .transform().body(CleverRecord.class, RecordMapping::map)
                .split(method(this, "toSchools"))
                    .setHeader(SCHOOL_ROUTE).body(RoutedRecord.class, routed -> routed.school().school().routeId())
                    .to("direct:school-batches")
                .end()
            .end();

        // Ends every school's open batch after a list: an empty marker per school completes its group.
        from("direct:flush-batches").routeId("flush-batches")
            .split().exchange(e -> e.getProperty(DistrictRuns.RUN, DistrictRun.class).schools())
                .setHeader(SCHOOL_ROUTE).body(SchoolRun.class, school -> school.school().routeId())
                .setHeader(FLUSH, constant(true))
                .setBody(constant(null))
                .to("direct:school-batches")
            .end();

        // Batches records per school; a full or flushed batch is written by a school-writer thread
        // through the school's writer route, and a failure there fails only that school. The run
        // counts its batches in flight and its end waits for them (DistrictRuns.finish).
        from("direct:school-batches").routeId("school-batches")
            .aggregate(header(SCHOOL_ROUTE), new SchoolBatchAggregation())
                    .executorService(writers.executor())
                    .completionSize(batchSize)
                    .completionPredicate(header(FLUSH).isEqualTo(true)).eagerCheckCompletion()
                .filter(simple("${body.size()} > 0"))
                    .doTry()
                        .toD("direct:${header." + SCHOOL_ROUTE + "}?block=false")
                    .doCatch(Exception.class)
                        .process(runs::batchFailed)
                    .end()
                    .process(runs::batchDone)
                .end()
            .end();
    }

    /** Pages through one list (body: the CleverResource) following links[rel=next], retrying a failed page. */
    private void listRoute(SyncDistrict district) {
        CleverSyncProperties.Retry retry = clever.retry();
        from("direct:clever-list-" + district.key()).routeId("clever-list-" + district.key())
            .onException(CleverUnavailableException.class, IOException.class)
                .maximumRedeliveries(retry.attempts() - 1)
                .redeliveryDelay(retry.initialDelay().toMillis())
                .useExponentialBackOff().backOffMultiplier(2)
                .maximumRedeliveryDelay(retry.maxDelay().toMillis())
                .useCollisionAvoidance()
                .retryAttemptedLogLevel(LoggingLevel.WARN).logRetryStackTrace(false)
            .end()
            .setVariable(RESOURCE, body())
            .setVariable(NEXT_PAGE).body(CleverResource.class, resource -> resource.firstPage(api.pageSize()))
            .loopDoWhile(variable(NEXT_PAGE).isNotNull()).breakOnShutdown()
                // Camel counts redeliveries in headers of this exchange, which lives for the whole
                // list: each page starts with the full retry budget
                .removeHeaders("CamelRedeliver*")
                .to("direct:clever-page-" + district.key())
                // the cursor advances here, not inside the page route: the circuit breaker runs that
                // route on a copy whose removed (null) variables would not be copied back
                .setVariable(NEXT_PAGE).body(CleverPage.class, CleverPage::next)
                // every record's exchange is a copy of this one: keep the breaker's result properties
                // and the page route's rate-limit variables off it
                .removeProperties("CamelCircuitBreaker*")
                .removeVariable(RATE_LIMITED)
                .removeVariable(RATE_LIMIT_WAIT)
                .to("direct:page-records")
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
        LOG.info("run {} district {}: Clever rate limit reached; waiting {} ms", run.id(), run.district().key(),
                wait.toMillis());
    }

    /** Turns the response into a validated page, or into a retryable or final failure. */
    private void pageResponse(Exchange exchange) {
        Message message = exchange.getMessage();
        CleverResource resource = exchange.getVariable(RESOURCE, CleverResource.class);
        String requested = exchange.getVariable(NEXT_PAGE, String.class);
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
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
