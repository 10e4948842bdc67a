package com.cleversync.school;

import com.cleversync.clever.CleverResource;
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
     * @param eventCursor     the last applied Clever event (null: apply from the oldest retained)
     * @param cursorCheckedAt Clever's feed was read completely up to this time (UTC)
     * @param fullSyncAt      when the last full sync completed (UTC)
     */
    public record Incremental(String eventCursor, LocalDateTime cursorCheckedAt, LocalDateTime fullSyncAt) {}

    /**
     * @param passId          run id of the run that started the full sync
     * @param eventCursor     Clever's newest event when it started (null: none)
     * @param startedAt       when it started (UTC)
     * @param resource        the list it had reached (null: none committed yet)
     * @param lastId          records of that list up to this id are committed
     * @param recordsDone     records of this school committed by it
     */
    public record Unfinished(String passId, String eventCursor, LocalDateTime startedAt, CleverResource resource,
                             String lastId, long recordsDone) {

        /** Whether this full sync already committed the record (lists are synced in enum order, ids ascending). */
        public boolean committed(CleverResource list, String id) {
            return resource != null && (list.ordinal() < resource.ordinal()
                    || (list == resource && id != null && id.compareTo(lastId) <= 0));
        }
    }
}
