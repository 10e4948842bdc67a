package com.cleversync.sync;

import com.cleversync.config.CleverSyncProperties;
import com.cleversync.oneroster.DeltaRefusedException;
import com.cleversync.oneroster.InvalidOneRosterPageException;
import com.cleversync.oneroster.OneRosterAnswer;
import com.cleversync.oneroster.OneRosterApi;
import com.cleversync.oneroster.OneRosterCollection;
import com.cleversync.oneroster.OneRosterConversation;
import com.cleversync.oneroster.OneRosterPage;
import com.cleversync.oneroster.OneRosterRecords;
import com.cleversync.oneroster.OneRosterRequest;
import com.cleversync.oneroster.OneRosterToken;
import com.cleversync.oneroster.OneRosterUnavailableException;
import com.cleversync.school.SchoolRecord;
import com.cleversync.school.SourcePage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Variable;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * A OneRoster district's sync ({@code direct:oneroster-sync}, from {@link DistrictSyncRoutes}). A full
 * sync pages every collection by offset (page → its schools' batches → their writer lanes → each
 * school's writer route) and then archives, per school, what no collection listed. An incremental
 * sync pages each collection's delta ({@code filter=dateLastModified>'…'}, from the schools' oldest
 * watermark less the margin) as changes, and then moves every school's watermark to this run's
 * start, committed after its last batch. What the provider's answers mean is {@link OneRosterConversation}'s.
 *
 * <p>Resilience is Clever's: the list route retries a page with exponential backoff and jitter
 * ({@code cleversync.clever.retry}); the page route waits out 429s and wraps every request in the
 * district's circuit breaker ({@code cleversync.clever.circuit-breaker}); the permit route throttles
 * requests per client id to the provider's {@code requests-per-minute}.
 */
@Component
class OneRosterSyncRoutes extends RouteBuilder {
    private static final String REQUEST = OneRosterConversation.REQUEST;
    private static final String READER = OneRosterConversation.READER;
    private static final String RATE_LIMIT_WAIT = OneRosterConversation.WAIT;
    private static final String RATE_LIMITED = OneRosterConversation.RATE_LIMITED;
    /** Variable: pages read and not yet handed to the batching ({@link #gather}). */
    private static final String GATHERED = "onerosterGathered";
    /** Records gathered from a collection's pages before they are cut into the schools' batches. */
    private static final int GATHER = 10_000;
    /** Variable: the collection's X-Total-Count on its first page, against which later pages are checked. */
    private static final String FIRST_TOTAL = "onerosterFirstTotal";
    private static final String DISTRICT = "${exchangeProperty." + DistrictRuns.DISTRICT + "}";

    private final OneRosterConversation conversation;
    private final OneRosterRecords records = new OneRosterRecords();
    private final DistrictRuns runs;
    private final SchoolBatches batches;
    private final SyncDistricts districts;
    private final CleverSyncProperties.Clever resilience;

    OneRosterSyncRoutes(DistrictRuns runs, SchoolBatches batches, SyncDistricts districts,
                        CleverSyncProperties properties, SyncMetrics metrics) {
        this.conversation = new OneRosterConversation(properties.clever().rateLimitWait(), metrics);
        this.runs = runs;
        this.batches = batches;
        this.districts = districts;
        this.resilience = properties.clever();
    }

    @Override
    public void configure() {
        from("direct:oneroster-sync").routeId("oneroster-sync")
            .setProperty(OneRosterConversation.DISTRICT, exchangeProperty(DistrictRuns.DISTRICT))
            .setProperty(OneRosterConversation.API, method(this, "api"))
            .setProperty(OneRosterConversation.TOKEN, method(this, "token"))
            .filter(exchange -> run(exchange).incremental())
                .to("direct:oneroster-delta")
            .end()
            .filter(exchange -> !run(exchange).incremental())
                .to("direct:oneroster-full")
            .end();

        // Every collection's changes since the schools' watermark; a provider without deltas makes it a full sync.
        from("direct:oneroster-delta").routeId("oneroster-delta")
            .doTry()
                .bean(this, "requireDeltas")
                .split(constant(OneRosterCollection.labels())).stopOnException()
                    .toD("direct:oneroster-list-" + DISTRICT)
                .end()
                .bean(this, "deltaRead")
                .bean(batches, "of")
                .to("direct:school-lanes")
            .endDoTry()
            .doCatch(DeltaRefusedException.class)
                .bean(runs, "deltasRefused")
            .end();

        // The watermark is this run's start, so nothing that changes while the collections are read is
        // missed; then every collection (a resumed one from its start), then archiving per school.
        from("direct:oneroster-full").routeId("oneroster-full")
            .bean(runs, "watermark")
            .bean(runs, "beginPasses")
            .split(constant(OneRosterCollection.labels())).stopOnException()
                .toD("direct:oneroster-list-" + DISTRICT)
            .end()
            .bean(runs, "completePasses");

        for (SyncDistrict district : districts.of(DistrictSource.OneRoster.class)) {
            listRoute(district);
            String collections = ((DistrictSource.OneRoster) district.source()).api().collectionsUrl();
            SourceRoutes.pageRoute(this, "oneroster-page-" + district.key(), district.breakerId(), new SourceRoutes.Page(
                    conversation, "direct:oneroster-permit", collections, RATE_LIMITED, RATE_LIMIT_WAIT, "Authorization"),
                    resilience.circuitBreaker());
        }

        // A permit for every request to a provider: at most the provider's requests-per-minute per
        // client id in any rate-limit-window, shared by every district using the client.
        from("direct:oneroster-permit").routeId("oneroster-permit")
            .errorHandler(noErrorHandler())
            .throttle(header(OneRosterConversation.PERMITS)).totalRequestsMode()
                    .timePeriodMillis(resilience.rateLimitWindow().toMillis())
                    .correlationExpression(header(OneRosterConversation.PERMIT_KEY)).asyncDelayed(false);
    }

    /**
     * Pages through one collection (body: its name) by offset, retrying a failed page: the whole
     * collection in a full sync, its delta in an incremental one.
     */
    private void listRoute(SyncDistrict district) {
        String routeId = "oneroster-list-" + district.key();
        // retried on 5xx, a refused token (renewed), timeouts, dropped connections and malformed bodies
        SourceRoutes.withPageRetries(from("direct:" + routeId).routeId(routeId), resilience.retry(),
                OneRosterUnavailableException.class, InvalidOneRosterPageException.class, IOException.class)
            .setVariable(REQUEST, method(this, "firstRequest"))
            .setVariable(READER, method(this, "reader"))
            .removeVariable(FIRST_TOTAL)
            .removeVariable(GATHERED)
            .loopDoWhile(variable(REQUEST).isNotNull()).breakOnShutdown()
                // Camel counts redeliveries in headers of this exchange, which lives for the whole
                // collection: each page starts with the full retry budget
                .removeHeaders("CamelRedeliver*")
                .to("direct:oneroster-page-" + district.key())
                // outside the page route: the circuit breaker runs it on a copy whose removed variables stay
                .setVariable(REQUEST).body(OneRosterAnswer.class, OneRosterAnswer::next)
                .bean(this, "checkTotal")
                .process(e -> run(e).pageRead(e.getIn().getBody(OneRosterAnswer.class).request().collection().path()))
                .bean(this, "sourcePage")
                .bean(this, "gather")
                .filter(body().isNotNull())
                    .bean(batches, "of")
                    .to("direct:school-lanes")
                .end()
            .end()
            // the loop also ends when Camel shuts down: a collection read only in part must fail the run
            .filter(variable(REQUEST).isNotNull())
                .throwException(new SyncInterruptedException("the sync stopped before the end of a collection"
                        + " because the service is shutting down"))
            .end();
    }

    /**
     * A collection's first page, or null when no school needs it: in a full sync from offset 0 (a
     * resumed one skips the collections every school finished); in an incremental sync, the delta.
     */
    public OneRosterRequest firstRequest(@Body String collection, @ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        OneRosterCollection read = OneRosterCollection.ofLabel(collection);
        int pageSize = api(run).pageSize();
        if (run.incremental()) {
            return OneRosterRequest.first(read, "dateLastModified>'" + run.plan().deltaSince(api(run).deltaMargin()) + "'",
                    pageSize);
        }
        return run.plan().listStart(collection).needed() ? OneRosterRequest.first(read, null, pageSize) : null;
    }

    /** What the collection's records become: rows in a full sync, changes positioned at this run's watermark in a delta. */
    public Object reader(@ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        return run.incremental() ? records.changeReader(run.plan().watermark()) : records.listReader();
    }

    /**
     * The provider's total must hold while a collection is paged by offset: when records come or go
     * meanwhile, offsets shift and a record may be skipped, so the run archives nothing this time.
     */
    public void checkTotal(@Body OneRosterAnswer answer, @Variable(FIRST_TOTAL) Long firstTotal,
                           @ExchangeProperty(DistrictRuns.RUN) DistrictRun run, Exchange exchange) {
        if (answer.total() == null) {
            return;
        }
        if (firstTotal == null) {
            exchange.setVariable(FIRST_TOTAL, answer.total());
        } else if (!firstTotal.equals(answer.total())) {
            runs.listingShifted(run, answer.request().collection().path(), firstTotal, answer.total());
            exchange.setVariable(FIRST_TOTAL, answer.total());
        }
    }

    /** The page as the schools' records: a collection's rows, or a delta's changes (the watermark moves only at the end). */
    @SuppressWarnings("unchecked") // the page was read with reader(run)
    public SourcePage sourcePage(@Body OneRosterAnswer answer, @ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        OneRosterPage<?> page = answer.page();
        if (run.incremental()) {
            return records.changed((OneRosterPage<List<SourcePage.Change>>) page, null, false);
        }
        OneRosterRequest request = answer.request();
        return records.listed((OneRosterPage<SchoolRecord>) page,
                String.format("%012d", request.offset() + page.size()));
    }

    /**
     * The pages gathered so far, when they are to go to the schools' batches: at the end of the
     * collection, or once {@link #GATHER} records are gathered; null meanwhile. A provider's pages are
     * small (1,000 records is common), and cutting each into every school's batches would give each
     * school a transaction for a few dozen rows per page. Nothing is lost by gathering: a stopped full
     * sync reads the collection again from its start, and a delta moves its watermark only at its end.
     */
    public SourcePage gather(@Body SourcePage page, @Variable(GATHERED) SourcePage gathered,
                             @Variable(REQUEST) OneRosterRequest next, Exchange exchange) {
        SourcePage all = gathered == null ? page : joined(gathered, page);
        if (next == null || size(all) >= GATHER) {
            exchange.removeVariable(GATHERED);
            return all;
        }
        exchange.setVariable(GATHERED, all);
        return null;
    }

    private static SourcePage joined(SourcePage first, SourcePage then) {
        if (first instanceof SourcePage.Listed a && then instanceof SourcePage.Listed b) {
            List<SchoolRecord> records = new ArrayList<>(a.records().size() + b.records().size());
            records.addAll(a.records());
            records.addAll(b.records());
            return new SourcePage.Listed(b.list(), records, b.lastId());
        }
        SourcePage.Changed a = (SourcePage.Changed) first;
        SourcePage.Changed b = (SourcePage.Changed) then;
        List<SourcePage.Change> changes = new ArrayList<>(a.changes().size() + b.changes().size());
        changes.addAll(a.changes());
        changes.addAll(b.changes());
        return new SourcePage.Changed(changes, b.lastPosition(), b.complete());
    }

    private static int size(SourcePage page) {
        return page instanceof SourcePage.Listed listed ? listed.records().size()
                : ((SourcePage.Changed) page).changes().size();
    }

    /** After every collection's delta: each school's watermark moves to this run's start. */
    public SourcePage deltaRead(@ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        return new SourcePage.Changed(List.of(), run.plan().watermark(), true);
    }

    /** A provider configured without deltas: the run is a full sync, and says why. */
    public void requireDeltas(@ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        if (!api(run).deltas()) {
            throw new DeltaRefusedException("the provider does not give dateLastModified deltas (cleversync.districts."
                    + run.district().key() + ".oneroster.deltas is false)");
        }
    }

    public OneRosterApi api(@ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        return ((DistrictSource.OneRoster) run.district().source()).api();
    }

    public OneRosterToken token(@ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        return ((DistrictSource.OneRoster) run.district().source()).token();
    }

    private static DistrictRun run(Exchange exchange) {
        return exchange.getProperty(DistrictRuns.RUN, DistrictRun.class);
    }
}
