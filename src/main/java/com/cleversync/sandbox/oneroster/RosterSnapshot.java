package com.cleversync.sandbox.oneroster;

import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The district as the OneRoster provider serves it while the district does not change: every record of a
 * collection, the deleted ones included as {@code tobedeleted}, in {@code sourcedId} order so that offset paging
 * is deterministic. A collection's sorted list is made on its first request (one walk over the collection) and
 * kept for the snapshot's life; {@link RosterApi} keeps a snapshot while the district's
 * {@link SandboxDistrict#changeCount() change count} stays at {@link #changeCount()} and makes a new one when
 * it moves, so a change between two pages shows on the next one, in its records and in {@code X-Total-Count}.
 * Records stay lazy: only the ones a page shows are mapped and rendered.
 *
 * <p>A record's {@code dateLastModified} is the time of its last change through the district; a generated
 * record never changed has Clever's {@code last_modified}, or {@link #GENERATED} where Clever has none (terms,
 * courses). An enrollment changes when its membership does, or when its user is created or deleted (a deleted
 * user's enrollments are {@code tobedeleted}); untouched, it has its section's time.
 *
 * <p>The history is read before the records: a change made meanwhile then shows with its new state but its
 * old time for one request, which a delta client reads again next time, rather than the other way round.
 */
final class RosterSnapshot {

    /** The time of generated records Clever gives no time: when the generated district's records begin. */
    static final Instant GENERATED = Instant.parse("2023-07-01T00:00:00Z");
    private static final Comparator<RosterRecord> BY_SOURCED_ID = Comparator.comparing(RosterRecord::sourcedId);

    private final SandboxDistrict district;
    private final RosterMapping mapping;
    private final long changeCount;
    private final RosterChanges changes;
    private final Map<RosterCollection, List<RosterRecord>> collections = new ConcurrentHashMap<>();

    /**
     * The district as it is now. The change count is read before the history, so a change made meanwhile leaves
     * this snapshot behind the district's count, and the next request makes a new one.
     */
    RosterSnapshot(SandboxDistrict district, RosterMapping mapping) {
        this.district = district;
        this.mapping = mapping;
        this.changeCount = district.changeCount();
        this.changes = RosterChanges.of(district.history());
    }

    /** The district's change count this snapshot was made at. */
    long changeCount() {
        return changeCount;
    }

    /** The collection's records in ascending {@code sourcedId} order, unmodifiable; made once per snapshot. */
    List<RosterRecord> records(RosterCollection collection) {
        return collections.computeIfAbsent(collection, this::sorted);
    }

    /** The collection's record with this {@code sourcedId}, or null: a binary search of its sorted records. */
    RosterRecord record(RosterCollection collection, String sourcedId) {
        List<RosterRecord> records = records(collection);
        int at = Collections.binarySearch(records, new RosterRecord(sourcedId, GENERATED, true, null), BY_SOURCED_ID);
        return at < 0 ? null : records.get(at);
    }

    private List<RosterRecord> sorted(RosterCollection collection) {
        List<RosterRecord> records = switch (collection) {
            case ORGS -> orgs();
            case SCHOOLS -> records(SandboxResource.SCHOOLS, mapping::school);
            case ACADEMIC_SESSIONS, TERMS -> records(SandboxResource.TERMS, mapping::academicSession);
            case COURSES -> records(SandboxResource.COURSES, mapping::course);
            case CLASSES -> records(SandboxResource.SECTIONS, mapping::classOf);
            case USERS -> users(SandboxResource.STUDENTS, SandboxResource.TEACHERS, SandboxResource.STAFF);
            case STUDENTS -> users(SandboxResource.STUDENTS);
            case TEACHERS -> users(SandboxResource.TEACHERS);
            case ENROLLMENTS -> enrollments();
        };
        records.sort(BY_SOURCED_ID);
        return Collections.unmodifiableList(records);
    }

    private List<RosterRecord> orgs() {
        List<RosterRecord> orgs = records(SandboxResource.SCHOOLS, mapping::school);
        List<String> schoolIds = orgs.stream().filter(RosterRecord::active).map(RosterRecord::sourcedId).toList();
        Instant modified = changes.schoolCameOrWent().filter(GENERATED::isBefore).orElse(GENERATED);
        orgs.add(new RosterRecord(district.id(), modified, true,
                () -> mapping.districtOrg(district.name(), schoolIds)));
        return orgs;
    }

    private List<RosterRecord> users(SandboxResource... resources) {
        List<RosterRecord> users = new ArrayList<>();
        for (SandboxResource resource : resources) {
            users.addAll(records(resource, user -> mapping.user(resource, user)));
        }
        return users;
    }

    /**
     * The resource's current records, then its deleted ones as they last were. A current record is not kept:
     * it is read from the district again when it is served (what a snapshot holds of a large district is its
     * ids and times, not its records).
     */
    private List<RosterRecord> records(SandboxResource resource, Function<ObjectNode, ObjectNode> fields) {
        List<RosterRecord> records = new ArrayList<>();
        Set<String> current = new HashSet<>();
        district.records(resource).forEach(record -> {
            String id = record.get("id").asText();
            current.add(id);
            Instant modified = changes.changed(resource, id).orElseGet(() -> generatedTime(record));
            records.add(new RosterRecord(id, modified, true, () -> fields.apply(now(resource, id))));
        });
        // "current" guards against a record created again after the history was read: listed once, as it is now
        changes.deleted(resource).forEach((id, last) -> {
            if (!current.contains(id)) {
                records.add(new RosterRecord(id, changes.changed(resource, id).orElseThrow(), false,
                        () -> fields.apply(last)));
            }
        });
        return records;
    }

    /**
     * A current record as the district holds it now; when it has been deleted since, the district has changed
     * since this snapshot was made and the page is to be made again from a new one ({@link Changed}).
     */
    private ObjectNode now(SandboxResource resource, String id) {
        return district.record(resource, id).orElseThrow(Changed::new);
    }

    /**
     * A record of the snapshot is no longer in the district: it changed while a page was being made, which
     * {@link RosterApi} then makes again from a new snapshot.
     */
    static final class Changed extends RuntimeException {
        Changed() {
            super("the district changed while a page was made", null, false, false);
        }
    }

    private List<RosterRecord> enrollments() {
        Map<String, ObjectNode> terms = new HashMap<>();
        district.records(SandboxResource.TERMS).forEach(term -> terms.put(term.get("id").asText(), term));
        List<RosterRecord> enrollments = new ArrayList<>();
        Set<String> current = new HashSet<>();
        district.records(SandboxResource.SECTIONS).forEach(section -> {
            Instant sectionTime = generatedTime(section);
            for (Membership membership : Membership.of(section).values()) {
                current.add(membership.sourcedId());
                Instant modified = changes.membership(membership.sourcedId())
                        .map(RosterChanges.MembershipChange::at).orElse(sectionTime);
                Optional<Instant> userCameOrWent = changes.userCameOrWent(membership.userId());
                if (userCameOrWent.isPresent() && userCameOrWent.get().isAfter(modified)) {
                    modified = userCameOrWent.get();
                }
                enrollments.add(new RosterRecord(membership.sourcedId(), modified,
                        !changes.userDeleted(membership.userId()),
                        () -> mapping.enrollment(membership, terms.get(membership.termId()))));
            }
        });
        changes.memberships().forEach((id, change) -> {
            if (!change.active() && !current.contains(id)) {
                enrollments.add(new RosterRecord(id, change.at(), false,
                        () -> mapping.enrollment(change.membership(), terms.get(change.membership().termId()))));
            }
        });
        return enrollments;
    }

    private static Instant generatedTime(ObjectNode record) {
        JsonNode modified = record.get("last_modified");
        if (modified == null || !modified.isTextual()) {
            return GENERATED;
        }
        try {
            return Instant.parse(modified.asText());
        } catch (DateTimeParseException e) {
            return GENERATED;
        }
    }
}
