package com.cleversync.clever;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.cleversync.school.SchoolTable;
import com.cleversync.school.SourcePage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Clever page as the schools' records: what the source-neutral batching receives from Clever. */
class CleverRecordsTest {
    private static final String SCHOOL = "5a1000000000000000000001";
    private static final String USER = "5a2100000000000000000001";
    private static final String SECTION = "5a4000000000000000000001";
    private final CleverRecords records = new CleverRecords(new OmittedFields(List.of("dob")));

    @Test
    void aListPageIsItsRecordsMappedWithTheListNameAndTheLastIdAndWithoutTheOmittedFields() {
        CleverPage<?> page = read(CleverResource.STUDENTS, "/v3.0/users?role=student&limit=2", body("""
                {"data":[{"data":{"id":"%s","roles":{"student":{"school":"%s","dob":"1/2/2012"}}}},
                         {"data":{"roles":{"student":{"school":"%s"}}}}],
                 "links":[{"rel":"next","uri":"/v3.0/users?role=student&limit=2&starting_after=%s"}]}"""
                .formatted(USER, SCHOOL, SCHOOL, USER)));

        SourcePage.Listed listed = (SourcePage.Listed) records.of(page);

        assertThat(listed.list()).isEqualTo("students");
        assertThat(listed.lastId()).isEqualTo(USER);
        assertThat(listed.records()).hasSize(2);
        assertThat(listed.records().get(0).table()).isEqualTo(SchoolTable.STUDENTS);
        assertThat(listed.records().get(0).rawJson()).doesNotContain("dob").contains(USER);
        assertThat(listed.records().get(1).rejectReason()).isEqualTo("record has no id");
    }

    @Test
    void anEventsPageIsItsChangesInFeedOrderAUserOncePerRoleAndADeletionWithoutARecord() {
        CleverPage<?> page = read(CleverResource.EVENTS, "/v3.0/events?limit=4", body("""
                {"data":[
                  {"data":{"id":"e1","type":"users.updated","data":{"object":{"id":"%s",
                     "roles":{"teacher":{"school":"%s"},"staff":{"schools":["%s"]}}}}}},
                  {"data":{"id":"e2","type":"sections.deleted","data":{"object":{"id":"%s","school":"%s"}}}},
                  {"data":{"id":"e3","type":"districts.updated","data":{"object":{"id":"d1"}}}},
                  {"data":{"id":"e4","type":"sections.created","data":{"object":{"school":"%s"}}}}],
                 "links":[]}""".formatted(USER, SCHOOL, SCHOOL, SECTION, SCHOOL, SCHOOL)));

        SourcePage.Changed changed = (SourcePage.Changed) records.of(page);

        assertThat(changed.changes()).extracting(SourcePage.Change::position, SourcePage.Change::table,
                        SourcePage.Change::id, SourcePage.Change::deletion)
                .containsExactly(
                        tuple("e1", SchoolTable.TEACHERS, USER, false),
                        tuple("e1", SchoolTable.STAFF, USER, false),
                        tuple("e2", SchoolTable.SECTIONS, SECTION, true));
        assertThat(changed.changes().get(0).record().schools()).containsExactly(SCHOOL);
        assertThat(changed.lastPosition()).isEqualTo("e4");
        assertThat(changed.complete()).as("no next link: the feed was read to its end").isTrue();
    }

    @Test
    void anEventsRecordIsKeptExactlyAsItsObjectWasSentWhereverPreviousAttributesAndTheIdStand() {
        String object = "{ \"id\" : \"%s\",\n  \"name\":{\"first\":\"Zo\\u00eb\",\"last\":\"O'Connell 🌊\"},"
                .formatted(USER) + " \"roles\":{\"student\":{\"school\":\"%s\"}} }".formatted(SCHOOL);
        CleverPage<?> page = read(CleverResource.EVENTS, "/v3.0/events?limit=2", body("""
                {"data":[
                  {"uri":"/v3.0/events/e1","data":{"data":{"previous_attributes":{"name":{"last":"Old"}},
                     "object":%s},"type":"users.updated","id":"e1","created":"2026-12-01T10:00:00.000Z"}},
                  {"data":{"id":"e2","type":"users.created","data":{"object":%s,"previous_attributes":{}}}}],
                 "links":[]}""".formatted(object, object)));

        SourcePage.Changed changed = (SourcePage.Changed) records.of(page);

        assertThat(changed.changes()).extracting(SourcePage.Change::position).containsExactly("e1", "e2");
        assertThat(changed.changes()).allSatisfy(change -> {
            assertThat(change.record().rawJson()).isEqualTo(object);
            assertThat(change.record().id()).isEqualTo(USER);
            assertThat(change.record().schools()).containsExactly(SCHOOL);
        });
        assertThat(changed.lastPosition()).isEqualTo("e2");
    }

    /** A page parsed as the conversation parses it: each record read by CleverRecords. */
    private CleverPage<?> read(CleverResource resource, String requested, ByteArrayInputStream body) {
        return CleverPage.parse(resource, requested, body, records.reader(resource));
    }

    private static ByteArrayInputStream body(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }
}
