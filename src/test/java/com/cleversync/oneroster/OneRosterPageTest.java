package com.cleversync.oneroster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A OneRoster page: the envelope {@code {"<collection>": […]}}, each record kept byte for byte as sent,
 * and every way a body can fail to be a page, told without anything of a record.
 */
class OneRosterPageTest {

    @Test
    void rawJsonOfEachRecordIsByteForByteTheRecordAsSent() {
        String first = "{ \"sourcedId\" : \"u-1\",\n\t\"givenName\":\"José\",\"familyName\":\"Nguyễn 😀\","
                + "\"note\":\"she said \\\"hi\\\" \\\\ then \\u00e9\\n\",  \"orgs\" : [ { \"sourcedId\" : \"s1\" } ,"
                + "{\"sourcedId\":\"s2\"} ] , \"grades\":[ ] ,\"n\": 1.50e3, \"users\" : [ {} ]   }";
        String second = "{\"sourcedId\":\"u-2\",\"familyName\":\"O'Brien\",\"empty\":{},\"middleName\":null}";
        String body = "{\"users\" : [ " + first + " ,\r\n" + second + "\n]\n}";

        OneRosterPage<OneRosterRecord> page = parse(OneRosterCollection.USERS, body);

        assertThat(page.items()).extracting(OneRosterRecord::rawJson).containsExactly(first, second);
        assertThat(page.items()).extracting(OneRosterRecord::sourcedId).containsExactly("u-1", "u-2");
        assertThat(page.items()).extracting(OneRosterRecord::collection).containsOnly(OneRosterCollection.USERS);
        OneRosterRecord jose = page.items().get(0);
        assertThat(jose.data().get("familyName").asText()).isEqualTo("Nguyễn 😀");
        assertThat(jose.data().get("note").asText()).isEqualTo("she said \"hi\" \\ then é\n");
        assertThat(jose.data().at("/orgs/1/sourcedId").asText()).isEqualTo("s2");
        assertThat(page.items().get(1).data().get("familyName").asText()).isEqualTo("O'Brien");
        assertThat(page.size()).isEqualTo(2);
        assertThat(page.lastId()).isEqualTo("u-2");
        assertThat(page.collection()).isEqualTo(OneRosterCollection.USERS);
    }

    @Test
    void keysBesideTheCollectionSuchAsStatusInfoSetAreSkipped() {
        String body = """
                {"statusInfoSet":[{"imsx_codeMajor":"success","imsx_severity":"warning",
                   "imsx_CodeMinor":{"imsx_codeMinorField":[{"imsx_codeMinorFieldName":"TargetEndSystem",
                   "imsx_codeMinorFieldValue":"invalid_selection_field"}]}}],
                 "academicSessions":[{"sourcedId":"t1","title":"Fall"},{"sourcedId":"t2","title":"Spring"}],
                 "orgs":[{"sourcedId":"not-a-session"}], "total": 2, "note": "x", "nothing": null}""";

        OneRosterPage<OneRosterRecord> page = parse(OneRosterCollection.ACADEMIC_SESSIONS, body);

        assertThat(page.items()).extracting(OneRosterRecord::sourcedId).containsExactly("t1", "t2");
        assertThat(page.items()).extracting(OneRosterRecord::rawJson)
                .containsExactly("{\"sourcedId\":\"t1\",\"title\":\"Fall\"}", "{\"sourcedId\":\"t2\",\"title\":\"Spring\"}");
    }

    @Test
    void anEmptyListIsAnEmptyPage() {
        OneRosterPage<OneRosterRecord> page = parse(OneRosterCollection.ENROLLMENTS, "{\"enrollments\":[]}");

        assertThat(page.size()).isZero();
        assertThat(page.items()).isEmpty();
        assertThat(page.lastId()).isNull();
    }

    @Test
    void theReaderSeesEveryRecordInOrderAndWhatItMakesNullIsLeftOutButCounted() {
        String body = """
                {"orgs":[{"sourcedId":"d1","type":"district"},{"sourcedId":"s1","type":"school"},
                         {"type":"school"},{"sourcedId":"s2","type":"school"},{"sourcedId":"","type":"school"}]}""";

        OneRosterPage<String> page = OneRosterPage.parse(OneRosterCollection.ORGS, body(body),
                record -> "school".equals(record.data().path("type").asText()) ? String.valueOf(record.sourcedId()) : null);

        assertThat(page.items()).containsExactly("s1", "null", "s2", "null");
        assertThat(page.size()).isEqualTo(5);
        assertThat(page.lastId()).as("the last record with a sourcedId").isEqualTo("s2");
    }

    @Test
    void theBodyIsReadToItsEndAndClosed() {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream body = new ByteArrayInputStream("{\"courses\":[{\"sourcedId\":\"c1\"}]}".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                closed.set(true);
            }
        };

        assertThat(OneRosterPage.parse(OneRosterCollection.COURSES, body).size()).isEqualTo(1);
        assertThat(closed).isTrue();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``                                              | the body is empty, not an envelope object",
            "`[{\"sourcedId\":\"u1\"}]`                      | the body is an array, not an envelope object",
            "`\"users\"`                                     | the body is a string, not an envelope object",
            "`{}`                                            | the envelope has no \"users\" list",
            "`{\"user\":{\"sourcedId\":\"u1\"}}`             | the envelope has no \"users\" list",
            "`{\"users\":{\"sourcedId\":\"u1\"}}`            | \"users\" is an object, not an array",
            "`{\"users\":null}`                              | \"users\" is null, not an array",
            "`{\"users\":\"none\"}`                          | \"users\" is a string, not an array",
            "`{\"users\":[{\"sourcedId\":\"u1\"},\"u2\"]}`   | element 1 of \"users\" is a string, not an object",
            "`{\"users\":[{\"sourcedId\":\"u1\"},null]}`     | element 1 of \"users\" is null, not an object",
            "`{\"users\":[[]]}`                              | element 0 of \"users\" is an array, not an object",
            "`{\"users\":[],\"users\":[]}`                   | the envelope has \"users\" twice",
            "`{\"users\":[]}{\"users\":[]}`                  | the body does not end after the envelope",
            "`{\"users\":[]}]`                               | the JSON is malformed or truncated at byte 12",
            "`{\"users\":[{\"sourcedId\":\"u1\"}`            | the JSON is malformed or truncated at byte 28",
            "`{\"users\":[{\"sourcedId\":\"u1\"}]`           | the JSON is malformed or truncated at byte 29",
            "`{\"users\":[{\"sourcedId\":\"u1\",`            | the JSON is malformed or truncated at byte 28",
            "`not json`                                      | the JSON is malformed or truncated at byte 4",
    })
    void aBodyThatIsNotTheCollectionsEnvelopeIsRefusedSayingWhatWasWrong(String body, String problem) {
        assertThatThrownBy(() -> parse(OneRosterCollection.USERS, body))
                .isInstanceOf(InvalidOneRosterPageException.class)
                .hasMessage("OneRoster users page: " + problem);
    }

    @Test
    void aRefusedPageTellsNothingOfItsRecords() {
        String truncated = "{\"users\":[{\"sourcedId\":\"u1\",\"familyName\":\"Secretson";
        String malformed = "{\"users\":[{\"sourcedId\":\"u1\",\"familyName\":Secretson}]}";

        assertThatThrownBy(() -> parse(OneRosterCollection.USERS, truncated))
                .isInstanceOf(InvalidOneRosterPageException.class)
                .hasMessage("OneRoster users page: the JSON is malformed or truncated at byte 51");
        assertThatThrownBy(() -> parse(OneRosterCollection.USERS, malformed))
                .isInstanceOf(InvalidOneRosterPageException.class)
                .hasMessage("OneRoster users page: the JSON is malformed or truncated at byte 51");
    }

    @Test
    void aBodyThatCannotBeReadIsRefusedLikeAMalformedOne() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };

        assertThatThrownBy(() -> OneRosterPage.parse(OneRosterCollection.CLASSES, failing))
                .isInstanceOf(InvalidOneRosterPageException.class)
                .hasMessage("OneRoster classes page: the body could not be read (connection reset)");
    }

    @Test
    void theCollectionsAreReadInFullSyncOrderAndNamedByTheirPaths() {
        assertThat(OneRosterCollection.LISTS).containsExactly(OneRosterCollection.ORGS,
                OneRosterCollection.ACADEMIC_SESSIONS, OneRosterCollection.COURSES, OneRosterCollection.USERS,
                OneRosterCollection.CLASSES, OneRosterCollection.ENROLLMENTS);
        assertThat(OneRosterCollection.labels())
                .containsExactly("orgs", "academicSessions", "courses", "users", "classes", "enrollments");
        assertThat(OneRosterCollection.LISTS).allSatisfy(c -> assertThat(c.label()).isEqualTo(c.path()));
        assertThat(OneRosterCollection.ofLabel("academicSessions")).isEqualTo(OneRosterCollection.ACADEMIC_SESSIONS);
        assertThatThrownBy(() -> OneRosterCollection.ofLabel("terms")).isInstanceOf(IllegalArgumentException.class);
    }

    private static OneRosterPage<OneRosterRecord> parse(OneRosterCollection collection, String body) {
        return OneRosterPage.parse(collection, body(body));
    }

    private static InputStream body(String body) {
        return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
    }
}
