package com.cleversync.clever;

/**
 * Clever refused a request of its events feed (400, 404 or 410): the cursor expired or is unknown,
 * or the district has no events. An incremental sync then falls back to a full sync.
 */
public class EventCursorRejectedException extends CleverRejectedException {
    public EventCursorRejectedException(String message) {
        super(message);
    }
}
