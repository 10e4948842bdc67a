package com.cleversync.school;

import com.cleversync.clever.CleverResource;
import java.time.LocalDateTime;

/**
 * How far a school's sync has got, committed in the same transaction as the batch that got it
 * there: a crash can therefore never skip, nor (since writes are idempotent) harm, what follows.
 */
public sealed interface Checkpoint {

    /**
     * A full sync has committed every record of the earlier lists and of {@code resource} up to
     * {@code lastId}; the next run resumes after it ({@code sync_checkpoints}).
     *
     * @param recordsDone records of this school committed by the full sync so far
     */
    record InList(CleverResource resource, String lastId, long recordsDone) implements Checkpoint {}

    /**
     * An incremental sync has applied Clever's events up to {@code eventId} (null: none new) and
     * has read the feed completely as of {@code checkedAt} ({@code sync_state}).
     */
    record AfterEvent(String eventId, LocalDateTime checkedAt) implements Checkpoint {}
}
