package com.cleversync.oneroster;

import java.time.Instant;

/**
 * An access token the token endpoint issued, and when to replace it.
 *
 * @param value     what goes after {@code Bearer }
 * @param refreshAt from when it is replaced rather than used (its expiry less the refresh margin); null when the
 *                  provider gave no expiry, so it is used until the API refuses it
 */
record AccessToken(String value, Instant refreshAt) {

    boolean usableAt(Instant now) {
        return refreshAt == null || now.isBefore(refreshAt);
    }

    /** Never the token itself: a record would print it. */
    @Override
    public String toString() {
        return "AccessToken[****, refreshAt=" + refreshAt + "]";
    }
}
