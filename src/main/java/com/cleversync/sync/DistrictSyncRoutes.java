package com.cleversync.sync;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The sync of one district, started by a district's schedules, at startup, or by run-once, always
 * through {@code direct:sync-district} with headers {@link DistrictRuns#DISTRICT} and
 * {@link DistrictRuns#MODE}: the run begins, its source's routes read the pages
 * ({@code direct:clever-sync}, {@code direct:oneroster-sync}), and every page's batches go through
 * {@code direct:school-lanes} to the writer lanes and each school's writer route.
 */
@Component
class DistrictSyncRoutes extends RouteBuilder {
    private static final String SCHOOL_ROUTE = "CleverSyncSchoolRoute";
    private static final String LANE = "CleverSyncLane";
    private static final String SOURCE = "CleverSyncSource";

    private final DistrictRuns runs;
    private final WriterLanes lanes;

    DistrictSyncRoutes(DistrictRuns runs, WriterLanes lanes) {
        this.runs = runs;
        this.lanes = lanes;
    }

    @Override
    public void configure() {
        from("direct:sync-district").routeId("sync-district")
            .setProperty(DistrictRuns.RUN, method(runs, "begin"))
            .filter(exchangeProperty(DistrictRuns.RUN).isNull())
                .stop() // the district is running, here or elsewhere: this trigger is skipped
            .end()
            .setProperty(DistrictRuns.DISTRICT, header(DistrictRuns.DISTRICT))
            .setProperty(SOURCE, method(runs, "source"))
            .doTry()
                .toD("direct:${exchangeProperty." + SOURCE + "}-sync")
            .doCatch(Exception.class)
                .bean(runs, "fail")
            .doFinally()
                .bean(runs, "finish")
            .end();

        // A page's batches go to their schools' writer lanes (a full lane makes the district wait).
        from("direct:school-lanes").routeId("school-lanes")
            .split(body())
                .setHeader(SCHOOL_ROUTE).body(SchoolBatch.class, batch -> batch.school().school().routeId())
                .setHeader(LANE, method(lanes, "submit"))
                .toD("${header." + LANE + "}")
            .end();

        // One consumer per lane writes its schools' batches in order, through each school's writer
        // route; a failure there fails only that school. The run waits for its batches (DistrictRun.finish).
        for (int lane = 0; lane < lanes.lanes(); lane++) {
            from(lanes.uri(lane)).routeId("school-writer-lane-" + lane)
                .bean(lanes, "started")
                .doTry()
                    .toD("direct:${header." + SCHOOL_ROUTE + "}?block=false")
                .doCatch(Exception.class)
                    .bean(lanes, "failed")
                .doFinally()
                    .bean(lanes, "done")
                .end();
        }
    }
}
