package com.cleversync.oneroster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.cleversync.school.SchoolRecord;
import com.cleversync.school.SchoolTable;
import com.cleversync.school.SourcePage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A page of OneRoster records handed on as the schools' records: a full sync's page lists the rows to
 * write (nothing for a guardian or a deleted record), an incremental sync's page is each record's change.
 */
class OneRosterRecordsTest {
    private static final String S1 = "org-school-1";
    private static final String PAGE = """
            {"users":[
              {"sourcedId":"user-7","status":"active","role":"student","givenName":"Ana","orgs":[{"sourcedId":"%s"}]},
              {"sourcedId":"user-g","status":"active","role":"guardian","orgs":[{"sourcedId":"%s"}]},
              {"sourcedId":"user-t","status":"tobedeleted","role":"teacher","orgs":[{"sourcedId":"%s"}]},
              {"sourcedId":"user-x","status":"tobedeleted"},
              {"sourcedId":"user-b","status":"active","role":"teacher","orgs":[{"sourcedId":"%s"}],"dateLastModified":"soon"}
            ]}""".formatted(S1, S1, S1, S1);

    private final OneRosterRecords records = new OneRosterRecords();

    @Test
    void aFullSyncsPageListsTheRowsToWriteAndLeavesOutWhatNoSchoolStoresOrTheProviderDeleted() {
        OneRosterPage<SchoolRecord> page = OneRosterPage.parse(OneRosterCollection.USERS, body(PAGE), records.listReader());

        SourcePage.Listed listed = (SourcePage.Listed) records.listed(page, "105");

        assertThat(listed.list()).isEqualTo("users");
        assertThat(listed.lastId()).isEqualTo("105");
        assertThat(listed.records()).extracting(SchoolRecord::table, SchoolRecord::id, SchoolRecord::rejectReason)
                .containsExactly(tuple(SchoolTable.STUDENTS, "user-7", null),
                        tuple(SchoolTable.TEACHERS, "user-b",
                                "dateLastModified is not an ISO-8601 timestamp"));
        assertThat(page.size()).as("every record counts for paging").isEqualTo(5);
    }

    @Test
    void anIncrementalSyncsPageIsEachRecordsNewStateOrItsDeletions() {
        OneRosterPage<List<SourcePage.Change>> page = OneRosterPage.parse(OneRosterCollection.USERS, body(PAGE),
                records.changeReader("2024-01-02T03:04:05.678Z"));

        SourcePage.Changed changed = (SourcePage.Changed) records.changed(page, "2024-01-02T03:04:05.678Z", true);

        String at = "2024-01-02T03:04:05.678Z";
        List<SourcePage.Change> changes = changed.changes();
        assertThat(changes).extracting(SourcePage.Change::position, SourcePage.Change::table, SourcePage.Change::id,
                        SourcePage.Change::deletion)
                .containsExactly(
                        tuple(at, SchoolTable.STUDENTS, "user-7", false),
                        tuple(at, SchoolTable.TEACHERS, "user-t", true),
                        tuple(at, SchoolTable.STUDENTS, "user-x", true),
                        tuple(at, SchoolTable.TEACHERS, "user-x", true),
                        tuple(at, SchoolTable.STAFF, "user-x", true),
                        tuple(at, SchoolTable.TEACHERS, "user-b", false));
        assertThat(changes.get(0).record().values()[1]).isEqualTo("Ana");
        assertThat(changes.get(5).record().rejectReason()).as("a reject is data too")
                .isEqualTo("dateLastModified is not an ISO-8601 timestamp");
        assertThat(changed.lastPosition()).isEqualTo(at);
        assertThat(changed.complete()).isTrue();
    }

    private static ByteArrayInputStream body(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }
}
