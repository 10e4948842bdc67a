package com.cleversync.sync;

import org.slf4j.MDC;

/**
 * What every log line of a run carries in the MDC: {@code run_id} and {@code district}, and on a
 * writer lane also {@code school}. With structured logs ({@code logging.structured.format.console=ecs})
 * they are fields of each JSON line, so a run or a school can be searched for in a log store. A run
 * keeps its district's thread from begin to finish; a writer lane takes the context of each batch it writes.
 */
final class RunLogContext {
    static final String RUN_ID = "run_id";
    static final String DISTRICT = "district";
    static final String SCHOOL = "school";

    private RunLogContext() {}

    static void enter(DistrictRun run) {
        MDC.put(RUN_ID, run.id());
        MDC.put(DISTRICT, run.district().key());
    }

    static void enter(SchoolRun school) {
        MDC.put(RUN_ID, school.runId());
        MDC.put(DISTRICT, school.school().district());
        MDC.put(SCHOOL, school.school().key());
    }

    static void leave() {
        MDC.remove(RUN_ID);
        MDC.remove(DISTRICT);
        MDC.remove(SCHOOL);
    }
}
