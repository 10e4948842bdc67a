package com.cleversync.school;

import java.time.LocalDateTime;

/**
 * Where a district's sync stands in one school's database, read when a run begins.
 *
 * @param incremental the incremental sync's position ({@code sync_state}), or null before the first
 *                    complete full sync
 * @param unfinished  the full sync that has not completed ({@code sync_checkpoints}), or null
 */
public record SyncState(Incremental incremental, Unfinished unfinished) {

    /**
     * @param eventCursor     the last applied change (null: apply from the oldest retained)
     * @param cursorCheckedAt the changes were read completely up to this time (UTC)
     * @param fullSyncAt      when the last full sync completed (UTC)
     */
    public record Incremental(String eventCursor, LocalDateTime cursorCheckedAt, LocalDateTime fullSyncAt) {}

    /**
     * @param passId          run id of the run that started the full sync
     * @param eventCursor     the source's newest change when it started (null: none)
     * @param startedAt       when it started (UTC)
     * @param list            the source's list it had reached (null: none committed yet)
     * @param lastId          records of that list up to this id are committed
     * @param recordsDone     records of this school committed by it
     */
    public record Unfinished(String passId, String eventCursor, LocalDateTime startedAt, String list,
                             String lastId, long recordsDone) {}
}
