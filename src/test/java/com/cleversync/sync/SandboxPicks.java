package com.cleversync.sync;

import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Records a scenario picks from a generated district to change, whichever source serves it. */
final class SandboxPicks {
    private SandboxPicks() {}

    /** The id of the district's school at {@code index}, in id order. */
    static String schoolId(SandboxDistrict district, int index) {
        return SchoolAssertions.schoolIds(district).get(index);
    }

    /** Students whose only school is the school at {@code index}. */
    static List<ObjectNode> studentsOnlyIn(SandboxDistrict district, int index) {
        String school = schoolId(district, index);
        return district.records(SandboxResource.STUDENTS)
                .filter(s -> s.at("/roles/student/schools").size() <= 1 && school.equals(s.at("/roles/student/school").asText()))
                .toList();
    }

    /** The first record of a resource whose {@code schoolPointer} names the school at {@code index}. */
    static ObjectNode firstIn(SandboxDistrict district, SandboxResource resource, String schoolPointer, int index) {
        String school = schoolId(district, index);
        return district.records(resource).filter(r -> school.equals(r.at(schoolPointer).asText())).findFirst().orElseThrow();
    }

    static void name(ObjectNode user, String last) {
        ((ObjectNode) user.get("name")).put("last", last);
    }

    static String id(ObjectNode record) {
        return record.get("id").asText();
    }
}
