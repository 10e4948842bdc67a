package com.cleversync.sandbox.oneroster;

import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the district's {@link SandboxDistrict#history() history} means for a OneRoster provider: when each
 * record last changed, the last state of each record now deleted (served as {@code tobedeleted}), and the same
 * for enrollments, which Clever has no records for: a change to a section's members adds, changes or removes
 * {@link Membership memberships}.
 *
 * <p>Times are cut to milliseconds, the precision {@code dateLastModified} is served with, so that a client that
 * asks for changes after the newest time it has seen never gets that record again.
 */
final class RosterChanges {

    private static final Set<SandboxResource> USERS =
            Set.of(SandboxResource.STUDENTS, SandboxResource.TEACHERS, SandboxResource.STAFF);

    /** The last change of a membership: what it was then, and whether it still existed afterwards. */
    record MembershipChange(Membership membership, Instant at, boolean active) {}

    private final Map<SandboxResource, Map<String, Instant>> changed = new EnumMap<>(SandboxResource.class);
    private final Map<SandboxResource, Map<String, ObjectNode>> deleted = new EnumMap<>(SandboxResource.class);
    /** When each user was last created or deleted: its enrollments come and go with it. */
    private final Map<String, Instant> userCameOrWent = new HashMap<>();
    private final Map<String, MembershipChange> memberships = new HashMap<>();
    private Instant schoolCameOrWent;

    private RosterChanges() {
        for (SandboxResource resource : SandboxResource.values()) {
            changed.put(resource, new HashMap<>());
            deleted.put(resource, new HashMap<>());
        }
    }

    static RosterChanges of(List<SandboxDistrict.Change> history) {
        RosterChanges changes = new RosterChanges();
        history.forEach(changes::apply);
        return changes;
    }

    private void apply(SandboxDistrict.Change change) {
        Instant at = change.at().truncatedTo(ChronoUnit.MILLIS);
        ObjectNode before = change.before();
        ObjectNode after = change.after();
        SandboxResource resource = change.resource();
        changed.get(resource).put(change.id(), at);
        if (after == null) {
            deleted.get(resource).put(change.id(), before);
        } else {
            deleted.get(resource).remove(change.id());
        }
        boolean cameOrWent = before == null || after == null;
        if (cameOrWent && USERS.contains(resource)) {
            userCameOrWent.put(change.id(), at);
        }
        if (cameOrWent && resource == SandboxResource.SCHOOLS) {
            schoolCameOrWent = at;
        }
        if (resource == SandboxResource.SECTIONS) {
            applyMemberships(Membership.of(before), Membership.of(after), at);
        }
    }

    private void applyMemberships(Map<String, Membership> before, Map<String, Membership> after, Instant at) {
        after.forEach((id, membership) -> {
            if (!membership.equals(before.get(id))) {
                memberships.put(id, new MembershipChange(membership, at, true));
            }
        });
        before.forEach((id, membership) -> {
            if (!after.containsKey(id)) {
                memberships.put(id, new MembershipChange(membership, at, false));
            }
        });
    }

    /** When the record was last created, changed or deleted through the district, if ever. */
    Optional<Instant> changed(SandboxResource resource, String id) {
        return Optional.ofNullable(changed.get(resource).get(id));
    }

    /** The last state of every record of the resource that is deleted now, by id. */
    Map<String, ObjectNode> deleted(SandboxResource resource) {
        return deleted.get(resource);
    }

    boolean userDeleted(String id) {
        return USERS.stream().anyMatch(resource -> deleted.get(resource).containsKey(id));
    }

    Optional<Instant> userCameOrWent(String id) {
        return Optional.ofNullable(userCameOrWent.get(id));
    }

    /** When a school was last added or deleted, if ever: the district org's list of children changed then. */
    Optional<Instant> schoolCameOrWent() {
        return Optional.ofNullable(schoolCameOrWent);
    }

    Optional<MembershipChange> membership(String sourcedId) {
        return Optional.ofNullable(memberships.get(sourcedId));
    }

    /** Every membership ever changed, by sourcedId; those no longer active were removed. */
    Map<String, MembershipChange> memberships() {
        return memberships;
    }
}
