package com.cleversync.sync;

/**
 * A Spring application event: a district run has ended and each school's outcome is in its
 * {@code sync_runs}. Listeners (operations: notifications) run on the run's own thread before its
 * caller gets the result, so they must hand anything slow off and must not throw.
 */
public record RunFinished(DistrictRun run) {}
