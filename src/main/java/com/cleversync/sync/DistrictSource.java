package com.cleversync.sync;

import com.cleversync.clever.CleverResource;
import com.cleversync.clever.CleverToken;
import com.cleversync.oneroster.OneRosterApi;
import com.cleversync.oneroster.OneRosterCollection;
import com.cleversync.oneroster.OneRosterToken;
import java.util.List;

/** Where a district's roster comes from, with what the sync needs to read it. */
public sealed interface DistrictSource {

    /** {@code clever} or {@code oneroster}: names the source's routes. */
    String name();

    /** How operators call it in messages: {@code Clever}, {@code OneRoster}. */
    String title();

    /** How long the source's changes can be read back, for the message of a cursor older than that. */
    String changesKept();

    /** The lists a full sync reads, in sync order (a resumed full sync's checkpoint relies on it). */
    List<String> lists();

    /**
     * Whether an interrupted full sync resumes inside the list it had reached. Clever pages a list in id
     * order behind a cursor, so it resumes after the last committed id. OneRoster pages by offset, which
     * shifts as records come and go between two runs, so the list it had reached is read again from
     * its start (the lists it had finished are skipped).
     */
    boolean resumesWithinList();

    /** @param token the district's bearer token (re-read on 401; never logged) */
    record Clever(CleverToken token) implements DistrictSource {
        @Override
        public String name() {
            return "clever";
        }

        @Override
        public String title() {
            return "Clever";
        }

        @Override
        public String changesKept() {
            return "Clever's event retention";
        }

        @Override
        public List<String> lists() {
            return CleverResource.listLabels();
        }

        @Override
        public boolean resumesWithinList() {
            return true;
        }
    }

    /** @param token the client-credentials token of the district's client (refreshed before it expires) */
    record OneRoster(OneRosterApi api, OneRosterToken token) implements DistrictSource {
        @Override
        public String name() {
            return "oneroster";
        }

        @Override
        public String title() {
            return "OneRoster";
        }

        @Override
        public String changesKept() {
            return "cleversync.clever.event-retention (how long a provider may keep deleted records listed)";
        }

        @Override
        public List<String> lists() {
            return OneRosterCollection.labels();
        }

        @Override
        public boolean resumesWithinList() {
            return false;
        }
    }
}
