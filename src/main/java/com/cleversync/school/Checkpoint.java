package com.cleversync.school;

import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * How far a school's sync has got, committed in the same transaction as the batch that got it
 * there: a crash can therefore never skip, nor (since writes are idempotent) harm, what follows.
 */
public sealed interface Checkpoint {

    /**
     * A full sync has committed every record of the earlier lists and of {@code list} up to
     * {@code lastId}; the next run resumes after it ({@code sync_checkpoints}).
     *
     * @param list        the source's name of the list, e.g. {@code students}
     * @param recordsDone records of this school committed by the full sync so far
     */
    record InList(String list, String lastId, long recordsDone) implements Checkpoint {}

    /**
     * An incremental sync has applied the source's changes up to {@code eventId} (null: none new)
     * and has read them completely as of {@code checkedAt} ({@code sync_state}).
     */
    record AfterEvent(String eventId, LocalDateTime checkedAt) implements Checkpoint {}

    /**
     * An attendance sync has read and committed every day up to {@code through} from {@code source}
     * ({@code attendance_state}); the next run reads on from the day after it.
     */
    record AttendanceRead(String source, LocalDate through) implements Checkpoint {}
}
