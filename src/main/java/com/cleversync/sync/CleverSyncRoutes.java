package com.cleversync.sync;

import com.cleversync.clever.CleverApi;
import com.cleversync.clever.EventCursorRejectedException;
import com.cleversync.clever.CleverConversation;
import com.cleversync.clever.CleverPage;
import com.cleversync.clever.CleverRecords;
import com.cleversync.clever.CleverResource;
import com.cleversync.clever.CleverToken;
import com.cleversync.clever.CleverUnavailableException;
import com.cleversync.config.CleverSyncProperties;
import java.io.IOException;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ProcessorDefinition;
import org.springframework.stereotype.Component;

/**
 * A Clever district's sync ({@code direct:clever-sync}, from {@link DistrictSyncRoutes}). A full
 * sync pages every list (page → its schools' batches → their writer lanes → each school's writer
 * route); an incremental sync pages the events feed the same way and applies each page's events in
 * order. Each page ends with a checkpoint per school, committed with that school's last batch of
 * the page. What Clever's answers mean is {@link CleverConversation}'s.
 *
 * <p>Calls to Clever go through three layers: the district's list route retries a page with
 * exponential backoff and jitter on 5xx, timeouts, dropped connections and malformed bodies; the
 * district's page route waits out 429s (which never use up a retry) and wraps every request in the
 * district's circuit breaker; the shared permit route throttles requests per token. HttpClient's own retries are
 * off ({@code camel.component.http.automatic-retries-disabled}), so these layers see every request sent.
 */
@Component
class CleverSyncRoutes extends RouteBuilder {
    private static final String RESOURCE = CleverConversation.RESOURCE;
    private static final String NEXT_PAGE = CleverConversation.PAGE;
    private static final String RATE_LIMIT_WAIT = CleverConversation.WAIT;
    private static final String RATE_LIMITED = CleverConversation.RATE_LIMITED;
    /** The running district's key (a property: a request to Clever clears the exchange's own headers). */
    private static final String DISTRICT = "${exchangeProperty." + DistrictRuns.DISTRICT + "}";

    private final CleverApi api;
    private final CleverConversation conversation;
    private final DistrictRuns runs;
    private final CleverRecords records;
    private final SchoolBatches batches;
    private final SyncDistricts districts;
    private final CleverSyncProperties.Clever clever;

    CleverSyncRoutes(CleverApi api, DistrictRuns runs, CleverRecords records, SchoolBatches batches,
                       SyncDistricts districts, CleverSyncProperties properties, SyncMetrics metrics) {
        this.api = api;
        this.conversation = new CleverConversation(api, records, properties.clever().rateLimitWait(), metrics);
        this.runs = runs;
        this.records = records;
        this.batches = batches;
        this.districts = districts;
        this.clever = properties.clever();
    }

    @Override
    public void configure() {
        from("direct:clever-sync").routeId("clever-sync")
            .setProperty(CleverConversation.DISTRICT, exchangeProperty(DistrictRuns.DISTRICT))
            .setProperty(CleverConversation.TOKEN, method(this, "token"))
            .filter(exchange -> run(exchange).incremental())
                .to("direct:incremental-sync")
            .end()
            .filter(exchange -> !run(exchange).incremental())
                .to("direct:full-sync")
            .end();

        // Applies Clever's events after the schools' cursors; a rejected cursor turns the run into a full sync.
        from("direct:incremental-sync").routeId("incremental-sync")
            .doTry()
                .setBody(constant(CleverResource.EVENTS))
                .toD("direct:clever-list-" + DISTRICT)
            .doCatch(EventCursorRejectedException.class)
                .bean(runs, "fallBackToFull")
            .end();

        // Reads the newest event first, so nothing that changes while the lists are read is missed;
        // then every list (resumed after what each school committed), then archiving per school.
        from("direct:full-sync").routeId("full-sync")
            .doTry()
                .toD("direct:newest-event-" + DISTRICT)
            .doCatch(EventCursorRejectedException.class)
                .bean(runs, "eventsUnavailable")
            .end()
            .bean(runs, "beginPasses")
            .split(constant(CleverResource.LISTS)).stopOnException()
                .toD("direct:clever-list-" + DISTRICT)
            .end()
            .bean(runs, "completePasses");

        SourceRoutes.Page page = new SourceRoutes.Page(conversation, "direct:clever-permit", api.baseUrl(),
                RATE_LIMITED, RATE_LIMIT_WAIT, "Authorization");
        for (SyncDistrict district : districts.of(DistrictSource.Clever.class)) {
            listRoute(district);
            SourceRoutes.pageRoute(this, "clever-page-" + district.key(), district.breakerId(), page, clever.circuitBreaker());
            newestEventRoute(district);
        }

        // A permit for every request to Clever: at most requests-per-minute per token in any
        // rate-limit-window (each permit returns a window after use, so Clever's fixed minute windows
        // are never exceeded), shared by every route using the token. Blocks the caller when spent.
        from("direct:clever-permit").routeId("clever-permit")
            .errorHandler(noErrorHandler())
            .throttle(constant(clever.requestsPerMinute())).totalRequestsMode()
                    .timePeriodMillis(clever.rateLimitWindow().toMillis())
                    .correlationExpression(header(CleverConversation.PERMIT_KEY)).asyncDelayed(false);
    }

    /** A route whose page is retried on 5xx, timeouts, dropped connections and malformed bodies. */
    private ProcessorDefinition<?> retried(String routeId) {
        return SourceRoutes.withPageRetries(from("direct:" + routeId).routeId(routeId), clever.retry(),
                CleverUnavailableException.class, IOException.class);
    }

    /**
     * The newest event of the district's feed ({@code ending_before=last&limit=1}), or none. Retried
     * like a page (a doTry here would bypass the retries); the caller handles a refused feed.
     */
    private void newestEventRoute(SyncDistrict district) {
        retried("newest-event-" + district.key())
            .setVariable(RESOURCE, constant(CleverResource.EVENTS))
            .setVariable(NEXT_PAGE, constant(CleverResource.API_VERSION + "/events?ending_before=last&limit=1"))
            .to("direct:clever-page-" + district.key())
            .bean(runs, "newestEvent");
    }

    /**
     * Pages through one list or the events feed (body: the CleverResource) following
     * links[rel=next], retrying a failed page; a resumed full sync starts after what its schools
     * committed, and a list no school needs is not read at all.
     */
    private void listRoute(SyncDistrict district) {
        retried("clever-list-" + district.key())
            .setVariable(RESOURCE, body())
            .setVariable(NEXT_PAGE, method(this, "firstPage"))
            .loopDoWhile(variable(NEXT_PAGE).isNotNull()).breakOnShutdown()
                // Camel counts redeliveries in headers of this exchange, which lives for the whole
                // list: each page starts with the full retry budget
                .removeHeaders("CamelRedeliver*")
                .to("direct:clever-page-" + district.key())
                // the cursor advances here, not inside the page route: the circuit breaker runs that
                // route on a copy whose removed (null) variables would not be copied back
                .setVariable(NEXT_PAGE).body(CleverPage.class, CleverPage::next)
                .process(e -> run(e).pageRead(e.getVariable(RESOURCE, CleverResource.class).label()))
                .bean(records, "of")
                .bean(batches, "of")
                .to("direct:school-lanes")
            .end()
            // the loop also ends when Camel shuts down: a list read only in part must fail the run
            // (its checkpoints stay for the next run to resume), never pass for a complete one
            .filter(variable(NEXT_PAGE).isNotNull())
                .throwException(new SyncInterruptedException("the sync stopped before the end of a list"
                        + " because the service is shutting down"))
            .end();
    }

    /** The request for a list's first page, or null when no school needs any of it. */
    public String firstPage(@Body CleverResource list, @ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        RunPlan.Start start = list == CleverResource.EVENTS ? run.plan().changesStart() : run.plan().listStart(list.label());
        return start.needed() ? list.pageAfter(api.pageSize(), start.after()) : null;
    }

    /** The district's Clever token, for the conversation. */
    public CleverToken token(@ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        return ((DistrictSource.Clever) run.district().source()).token();
    }

    private static DistrictRun run(Exchange exchange) {
        return exchange.getProperty(DistrictRuns.RUN, DistrictRun.class);
    }
}
