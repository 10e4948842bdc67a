package com.cleversync.clever;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Clever list page: the double envelope {@code {"data":[{"data":{…},"uri":…}],"links":[…]}}, the
 * record bytes kept exactly as sent, the next link, and every way a body can fail to be a page.
 */
class CleverPageTest {
    private static final String FIRST = "/v3.0/users?role=student&limit=2";
    private static final String ID_A = "5a2100000000000000000001";
    private static final String ID_B = "5a2100000000000000000002";
    private static final String ID_C = "5a2100000000000000000003";

    @Test
    void aLastPageHasItsRecordsInOrderAndNoNextLink() {
        CleverPage<CleverRecord> page = parse(FIRST, """
                {"data":[{"data":{"id":"%s","name":{"first":"Ana"}},"uri":"/v3.0/users/%s"},
                         {"data":{"id":"%s","name":{"first":"Bo"}},"uri":"/v3.0/users/%s"}],
                 "links":[{"rel":"self","uri":"%s"}]}""".formatted(ID_A, ID_A, ID_B, ID_B, FIRST));

        assertThat(page.resource()).isEqualTo(CleverResource.STUDENTS);
        assertThat(page.size()).isEqualTo(2);
        assertThat(page.next()).isNull();
        List<CleverRecord> records = records(page);
        assertThat(records).extracting(CleverRecord::id).containsExactly(ID_A, ID_B);
        assertThat(records).extracting(CleverRecord::resource).containsOnly(CleverResource.STUDENTS);
        assertThat(records.get(1).data().at("/name/first").asText()).isEqualTo("Bo");
    }

    @Test
    void aPageWithRecordsAndANextLinkNamesTheNextPage() {
        String next = "/v3.0/users?role=student&limit=2&starting_after=" + ID_B;
        CleverPage<CleverRecord> page = parse(FIRST, """
                {"data":[{"data":{"id":"%s"},"uri":"/v3.0/users/%s"},{"data":{"id":"%s"},"uri":"/v3.0/users/%s"}],
                 "links":[{"rel":"self","uri":"%s"},{"rel":"next","uri":"%s"}]}"""
                .formatted(ID_A, ID_A, ID_B, ID_B, FIRST, next));

        assertThat(page.size()).isEqualTo(2);
        assertThat(page.next()).isEqualTo(next);
        assertThat(records(page)).extracting(CleverRecord::id).containsExactly(ID_A, ID_B);
    }

    @Test
    void aFollowingPageWhoseNextLinkMovesTheCursorForwardIsAccepted() {
        String requested = "/v3.0/users?role=student&limit=1&starting_after=" + ID_A;
        String next = "/v3.0/users?role=student&limit=1&starting_after=" + ID_B;
        CleverPage<CleverRecord> page = parse(requested, """
                {"links":[{"rel":"prev","uri":"/v3.0/users?role=student&limit=1&ending_before=%s"},
                          {"rel":"next","uri":"%s"}],
                 "data":[{"uri":"/v3.0/users/%s","data":{"id":"%s"}}]}""".formatted(ID_B, next, ID_B, ID_B));

        assertThat(page.next()).isEqualTo(next);
        assertThat(records(page)).extracting(CleverRecord::id).containsExactly(ID_B);
    }

    @Test
    void rawJsonOfEachRecordIsByteForByteTheInnerDataObjectAsSent() {
        String first = "{ \"id\" : \"" + ID_A + "\",\n\t\"name\":{\"first\":\"José\",\"last\":\"Nguyễn 😀\"},"
                + "\"note\":\"she said \\\"hi\\\" \\\\ then \\u00e9\\n\",  \"roles\" : { \"student\" : {"
                + " \"schools\" : [ \"s1\" ,\"s2\" ] , \"grade\":null } } ,\"n\": 1.50e3   }";
        String second = "{\"id\":\"" + ID_B + "\",\"data\":{\"data\":[{}]},\"empty\":{},\"list\":[]}";
        String body = "{\"data\" : [ {\"uri\":\"/v3.0/users/" + ID_A + "\", \"data\":" + first + " } ,\r\n"
                + "{ \"data\" :   " + second + "\n,\"uri\":\"/v3.0/users/" + ID_B + "\"}],"
                + "\"links\":[{\"rel\":\"self\",\"uri\":\"" + FIRST + "\"}]}";

        List<CleverRecord> records = records(parse(FIRST, body));

        assertThat(records).extracting(CleverRecord::rawJson).containsExactly(first, second);
        assertThat(records.get(0).data().at("/name/last").asText()).isEqualTo("Nguyễn 😀");
        assertThat(records.get(0).data().get("note").asText()).isEqualTo("she said \"hi\" \\ then é\n");
        assertThat(records.get(1).data().at("/data/data").isArray()).isTrue();
    }

    @Test
    void anEmptyDataArrayEndsTheListEvenWithANextLink() {
        CleverPage<CleverRecord> page = parse(FIRST, """
                {"data":[],"links":[{"rel":"self","uri":"%s"},
                 {"rel":"next","uri":"/v3.0/users?role=student&limit=2&starting_after=%s"}]}""".formatted(FIRST, ID_C));

        assertThat(page.size()).isZero();
        assertThat(page.next()).isNull();
        assertThat(records(page)).isEmpty();
    }

    @Test
    void anEmptyPageWithoutLinksIsTheEndOfAnEmptyList() {
        CleverPage<CleverRecord> page = parse(FIRST, "{\"data\":[]}");

        assertThat(page.size()).isZero();
        assertThat(page.next()).isNull();
        assertThat(records(page)).isEmpty();
    }

    @Test
    void aNextLinkRepeatingTheRequestedCursorIsRefused() {
        String requested = "/v3.0/users?role=student&limit=1&starting_after=" + ID_B;

        assertThatThrownBy(() -> parse(requested, oneRecordPageWithNext(ID_C, requested)))
                .isInstanceOf(InvalidPageException.class)
                .hasMessageContaining(requested)
                .hasMessageContaining("does not advance");
    }

    @Test
    void aNextLinkMovingTheCursorBackwardsIsRefused() {
        String requested = "/v3.0/users?role=student&limit=1&starting_after=" + ID_B;
        String backwards = "/v3.0/users?role=student&limit=1&starting_after=" + ID_A;

        assertThatThrownBy(() -> parse(requested, oneRecordPageWithNext(ID_C, backwards)))
                .isInstanceOf(InvalidPageException.class)
                .hasMessageContaining("does not advance");
    }

    @Test
    void aNextLinkWithoutACursorIsRefused() {
        assertThatThrownBy(() -> parse(FIRST, oneRecordPageWithNext(ID_A, "/v3.0/users?role=student&limit=2")))
                .isInstanceOf(InvalidPageException.class)
                .hasMessageContaining("does not advance");
    }

    @Test
    void aNextLinkWithoutACursorIsRefusedOnAFollowingPageToo() {
        String requested = "/v3.0/users?role=student&limit=1&starting_after=" + ID_A;

        assertThatThrownBy(() -> parse(requested, oneRecordPageWithNext(ID_B, FIRST)))
                .isInstanceOf(InvalidPageException.class)
                .hasMessageContaining("does not advance");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 9, 30, 61, 80, 95})
    void aTruncatedBodyIsAnInvalidPageNeverAnEmptyOrShortPage(int keptPercent) {
        String whole = """
                {"data":[{"data":{"id":"%s","name":{"first":"Ana"}},"uri":"/v3.0/users/%s"},
                         {"data":{"id":"%s","name":{"first":"Bo"}},"uri":"/v3.0/users/%s"}],
                 "links":[{"rel":"self","uri":"%s"}]}""".formatted(ID_A, ID_A, ID_B, ID_B, FIRST);
        byte[] bytes = whole.getBytes(StandardCharsets.UTF_8);
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length * keptPercent / 100);

        assertThatThrownBy(() -> CleverPage.parse(CleverResource.STUDENTS, FIRST, new ByteArrayInputStream(truncated)))
                .isInstanceOf(InvalidPageException.class);
    }

    @Test
    void aBodyCutRightAfterTheDataArrayIsAnInvalidPage() {
        assertThatThrownBy(() -> parse(FIRST, "{\"data\":[{\"data\":{\"id\":\"" + ID_A + "\"}}]"))
                .isInstanceOf(InvalidPageException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "Too Many Requests",
            "<html><body>502 Bad Gateway</body></html>",
            "[]",
            "null",
            "{\"error\":\"invalid token\"}",
            "{\"data\":{\"id\":\"5a2100000000000000000001\"}}",
            "{\"data\":[]} trailing",
            "{\"data\":[]}{\"data\":[]}"
    })
    void aBodyThatIsNotAPageIsAnInvalidPage(String body) {
        assertThatThrownBy(() -> parse(FIRST, body)).isInstanceOf(InvalidPageException.class);
    }

    @Test
    void aRecordWithoutAnIdIsStillIterated() {
        CleverPage<CleverRecord> page = parse(FIRST, """
                {"data":[{"data":{"id":"%s"}},{"data":{"name":{"first":"No Id"}}},{"data":{"id":""}}],
                 "links":[]}""".formatted(ID_A));

        assertThat(page.size()).isEqualTo(3);
        List<CleverRecord> records = records(page);
        assertThat(records).hasSize(3);
        assertThat(records).extracting(CleverRecord::id).containsExactly(ID_A, null, null);
        assertThat(records.get(1).rawJson()).isEqualTo("{\"name\":{\"first\":\"No Id\"}}");
    }

    @Test
    void aRecordsToStringNamesOnlyItsListAndId() {
        CleverRecord record = records(parse(FIRST,
                "{\"data\":[{\"data\":{\"id\":\"" + ID_A + "\",\"name\":{\"first\":\"Secretina\"}}}]}")).get(0);

        assertThat(record.toString()).contains(ID_A).doesNotContain("Secretina");
    }

    private static String oneRecordPageWithNext(String id, String next) {
        return """
                {"data":[{"data":{"id":"%s"},"uri":"/v3.0/users/%s"}],"links":[{"rel":"next","uri":"%s"}]}"""
                .formatted(id, id, next);
    }

    private static CleverPage<CleverRecord> parse(String requested, String body) {
        return CleverPage.parse(CleverResource.STUDENTS, requested, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<CleverRecord> records(CleverPage<CleverRecord> page) {
        List<CleverRecord> records = new ArrayList<>();
        page.forEach(records::add);
        return records;
    }
}
