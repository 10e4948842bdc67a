package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.ActualSchool;
import com.cleversync.ExpectedSchool;
import com.cleversync.SchoolDb;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;

/** Shared steps of the sync specifications: run a district, find a school's outcome, compare a database with the truth. */
public final class SchoolAssertions {
    private SchoolAssertions() {}

    /** Runs one full sync of a district through the same endpoint the schedule and run-once use. */
    static DistrictRun sync(ProducerTemplate producer, String district) {
        return producer.requestBodyAndHeaders("direct:sync-district", null,
                Map.of(DistrictRuns.DISTRICT, district, DistrictRuns.TRIGGER, "test"), DistrictRun.class);
    }

    static SchoolRun outcome(DistrictRun run, String school) {
        return run.schools().stream().filter(s -> s.school().key().equals(school)).findFirst().orElseThrow();
    }

    /** Clever ids of the sandbox's schools, in id order. */
    public static List<String> schoolIds(SandboxDistrict district) {
        return district.records(SandboxResource.SCHOOLS).map(s -> s.get("id").asText()).toList();
    }

    /** The school database holds exactly the truth: every table, every compared column, raw_json, memberships. */
    public static void assertHoldsExactly(String school, SchoolDb db, ExpectedSchool expected) {
        ActualSchool actual = new ActualSchool(db);
        assertThat(actual.schools).as("%s schools", school).isEqualTo(expected.schools);
        assertThat(actual.terms).as("%s terms", school).isEqualTo(expected.terms);
        assertThat(actual.courses).as("%s courses", school).isEqualTo(expected.courses);
        assertThat(actual.teachers).as("%s teachers", school).isEqualTo(expected.teachers);
        assertThat(actual.staff).as("%s staff", school).isEqualTo(expected.staff);
        assertThat(actual.students).as("%s students", school).isEqualTo(expected.students);
        assertThat(actual.sections).as("%s sections", school).isEqualTo(expected.sections);
        assertThat(actual.sectionStudents).as("%s enrollments", school).isEqualTo(expected.sectionStudents);
        assertThat(actual.sectionTeachers).as("%s section teachers", school).isEqualTo(expected.sectionTeachers);
    }
}
