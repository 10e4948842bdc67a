package com.cleversync.sync;

import com.cleversync.clever.CleverApi;
import com.cleversync.clever.CleverPage;
import com.cleversync.clever.CleverRecord;
import com.cleversync.clever.CleverResource;
import com.cleversync.config.CleverSyncProperties;
import com.cleversync.school.RecordMapping;
import com.cleversync.school.SchoolRecord;
import java.io.InputStream;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The full sync of one district: for each Clever list, page → split → map → route to school →
 * batch per school → the school's writer route. Started by a district's schedule, at startup, or
 * by run-once, always through {@code direct:sync-district} with header {@link DistrictRuns#DISTRICT}.
 */
@Component
class FullSyncRoutes extends RouteBuilder {
    private static final String RESOURCE = "cleverResource";
    private static final String NEXT_PAGE = "cleverNextPage";
    private static final String SCHOOL_ROUTE = "CleverSyncSchoolRoute";
    private static final String FLUSH = "CleverSyncFlush";

    private final CleverApi api;
    private final DistrictRuns runs;
    private final SchoolWriters writers;
    private final int batchSize;

    FullSyncRoutes(CleverApi api, DistrictRuns runs, SchoolWriters writers, CleverSyncProperties properties) {
        this.api = api;
        this.runs = runs;
        this.writers = writers;
        this.batchSize = properties.sync().batchSize();
    }

    @Override
    public void configure() {
        from("direct:sync-district").routeId("sync-district")
            .process(runs::begin)
            .doTry()
                .split(constant(List.of(CleverResource.values()))).stopOnException()
                    .to("direct:clever-list")
                    .to("direct:flush-batches")
                .endDoTry()
            .doCatch(Exception.class)
                .process(runs::fail)
            .doFinally()
                .process(runs::finish)
            .end();

        // Pages through one list (body: the CleverResource) following links[rel=next].
        from("direct:clever-list").routeId("clever-list")
            .setVariable(RESOURCE, body())
            .setVariable(NEXT_PAGE).body(CleverResource.class, resource -> resource.firstPage(api.pageSize()))
            .loopDoWhile(variable(NEXT_PAGE).isNotNull()).breakOnShutdown()
                .process(this::pageRequest)
                .to(api.baseUrl() + "?disableStreamCache=true") // CleverPage reads the stream once
                .process(this::pageResponse)
                .split(body()).streaming()
                    .transform().body(CleverRecord.class, RecordMapping::map)
                    .split(method(this, "toSchools"))
                        .setHeader(SCHOOL_ROUTE).body(RoutedRecord.class, routed -> routed.school().school().routeId())
                        .to("direct:school-batches")
                    .end()
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

    public List<RoutedRecord> toSchools(SchoolRecord record, @ExchangeProperty(DistrictRuns.RUN) DistrictRun run) {
        return run.route(record).stream().map(school -> new RoutedRecord(school, record)).toList();
    }

    private void pageRequest(Exchange exchange) {
        DistrictRun run = exchange.getProperty(DistrictRuns.RUN, DistrictRun.class);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
        exchange.getMessage().setHeader(Exchange.HTTP_URI, api.baseUrl() + exchange.getVariable(NEXT_PAGE, String.class));
        exchange.getMessage().setHeader("Authorization", "Bearer " + run.district().token());
    }

    private void pageResponse(Exchange exchange) {
        CleverResource resource = exchange.getVariable(RESOURCE, CleverResource.class);
        String requested = exchange.getVariable(NEXT_PAGE, String.class);
        CleverPage page = CleverPage.parse(resource, requested, exchange.getMessage().getBody(InputStream.class));
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(page);
        exchange.setVariable(NEXT_PAGE, page.next());
    }

}
