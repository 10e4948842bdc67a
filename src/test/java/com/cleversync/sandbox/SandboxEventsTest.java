package com.cleversync.sandbox;

import static com.cleversync.sandbox.SandboxClient.MAPPER;
import static com.cleversync.sandbox.SandboxClient.link;
import static com.cleversync.sandbox.SandboxClient.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * The events feed over real loopback HTTP. Every test gets a fresh district, so event ids are known exactly:
 * the n-th change of a test is event {@code 5a60} followed by n in 20 hex digits.
 */
class SandboxEventsTest {

    private static final String TOKEN = "sandbox-events-token";
    private static final int UNLIMITED = 1_000_000;
    private static final SandboxSize SMALL = new SandboxSize(3, 21, 6, 2, 9, 5, 2, 4, 7L);
    private static final Instant NOON = Instant.parse("2026-11-23T12:00:00Z");

    private SandboxDistrict district;
    private CleverSandbox sandbox;
    private SandboxClient client;
    /** Numbers the changes {@link #changeOneStudent} makes, so that no two of them are alike. */
    private long changes;

    @BeforeEach
    void start() {
        district = new SandboxDistrict(SMALL);
        district.clock(Clock.fixed(NOON, ZoneOffset.UTC));
        sandbox = CleverSandbox.start(district, TOKEN, 0, UNLIMITED);
        client = new SandboxClient(sandbox);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void aStudentsCreationUpdateAndDeletionAreUsersEventsCarryingTheServedRecord() {
        ObjectNode student = first(SandboxResource.STUDENTS).put("id", "5a21ffffffffffffffffffff");
        district.put(SandboxResource.STUDENTS, student);
        ObjectNode renamed = student.deepCopy();
        ((ObjectNode) renamed.get("name")).put("last", "Renamedóttir");
        district.clock(Clock.fixed(NOON.plusSeconds(90).plusMillis(7), ZoneOffset.UTC));
        district.put(SandboxResource.STUDENTS, renamed);
        district.delete(SandboxResource.STUDENTS, "5a21ffffffffffffffffffff");

        ObjectNode previousName = MAPPER.createObjectNode().set("name", student.get("name"));
        assertThat(client.json("/v3.0/events").get("data")).containsExactly(
                item(event(1, "users.created", "2026-11-23T12:00:00.000Z", student, null)),
                item(event(2, "users.updated", "2026-11-23T12:01:30.007Z", renamed, previousName)),
                item(event(3, "users.deleted", "2026-11-23T12:01:30.007Z", renamed, null)));
        // what the event carries is what the list API served while the record existed
        assertThat(client.json("/v3.0/events/" + id(1)).get("data").get("data").get("object")).isEqualTo(student);
    }

    @Test
    void aRecordChangedInStepsIsOneEventPerStepInOrderSoAPageRepeatsIt() {
        ObjectNode section = district.records(SandboxResource.SECTIONS).filter(s -> s.get("students").size() > 2)
                .findFirst().orElseThrow();
        String id = section.get("id").asText();
        List<String> students = new ArrayList<>();
        section.get("students").forEach(s -> students.add(s.asText()));

        district.changeInSteps(SandboxResource.SECTIONS, id, List.of(
                s -> ((ArrayNode) s.get("students")).remove(0),
                s -> ((ArrayNode) s.get("students")).remove(0),
                s -> s.put("name", s.get("name").asText()), // changes nothing: no event
                s -> ((ArrayNode) s.get("students")).remove(0)));

        JsonNode page = client.json("/v3.0/events?limit=10").get("data");
        assertThat(page).hasSize(3);
        for (int step = 0; step < 3; step++) {
            JsonNode event = page.get(step).get("data");
            assertThat(event.get("id").asText()).isEqualTo(id(step + 1));
            assertThat(event.get("type").asText()).isEqualTo("sections.updated");
            JsonNode object = event.get("data").get("object");
            assertThat(object.get("id").asText()).isEqualTo(id);
            List<String> left = new ArrayList<>();
            object.get("students").forEach(s -> left.add(s.asText()));
            assertThat(left).as("after step %d", step + 1).isEqualTo(students.subList(step + 1, students.size()));
        }
        assertThat(district.record(SandboxResource.SECTIONS, id).orElseThrow())
                .isEqualTo(page.get(2).get("data").get("data").get("object"));
    }

    @Test
    void changingAMissingRecordInStepsIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> district.changeInSteps(
                SandboxResource.STUDENTS, "5a21000000000000ffffffff", List.of(s -> s.put("x", 1))));
        assertThat(district.eventCount()).isZero();
    }

    @Test
    void aTeachersEventsFollowChangesToAGeneratedRecord() {
        ObjectNode generated = district.records(SandboxResource.TEACHERS).filter(teacher -> teacher.has("email"))
                .findFirst().orElseThrow();
        String id = generated.get("id").asText();
        ObjectNode changed = generated.deepCopy().put("title", "Department Head");
        changed.remove("email");

        district.put(SandboxResource.TEACHERS, changed);
        district.delete(SandboxResource.TEACHERS, id);
        district.put(SandboxResource.TEACHERS, generated);

        ObjectNode previous = MAPPER.createObjectNode().putNull("title");
        previous.set("email", generated.get("email"));
        List<JsonNode> events = client.records("/v3.0/events");
        assertThat(events).containsExactly(
                event(1, "users.updated", "2026-11-23T12:00:00.000Z", changed, previous),
                event(2, "users.deleted", "2026-11-23T12:00:00.000Z", changed, null),
                event(3, "users.created", "2026-11-23T12:00:00.000Z", generated, null));
    }

    @Test
    void aSectionsEventsAreSectionsEvents() {
        ObjectNode section = first(SandboxResource.SECTIONS).put("id", "5a30ffffffffffffffffffff");
        ObjectNode emptied = section.deepCopy();
        emptied.putArray("students");

        district.put(SandboxResource.SECTIONS, section);
        district.put(SandboxResource.SECTIONS, emptied);
        district.delete(SandboxResource.SECTIONS, "5a30ffffffffffffffffffff");

        ObjectNode previous = MAPPER.createObjectNode().set("students", section.get("students"));
        assertThat(section.get("students")).isNotEmpty();
        assertThat(client.records("/v3.0/events")).containsExactly(
                event(1, "sections.created", "2026-11-23T12:00:00.000Z", section, null),
                event(2, "sections.updated", "2026-11-23T12:00:00.000Z", emptied, previous),
                event(3, "sections.deleted", "2026-11-23T12:00:00.000Z", emptied, null));
    }

    @Test
    void aTermsEventsAreTermsEvents() {
        ObjectNode term = first(SandboxResource.TERMS).put("id", "5a40ffffffffffffffffffff");
        ObjectNode extended = term.deepCopy().put("end_date", "2025-07-31");

        district.put(SandboxResource.TERMS, term);
        district.put(SandboxResource.TERMS, extended);
        district.delete(SandboxResource.TERMS, "5a40ffffffffffffffffffff");

        ObjectNode previous = MAPPER.createObjectNode().set("end_date", term.get("end_date"));
        assertThat(client.records("/v3.0/events")).containsExactly(
                event(1, "terms.created", "2026-11-23T12:00:00.000Z", term, null),
                event(2, "terms.updated", "2026-11-23T12:00:00.000Z", extended, previous),
                event(3, "terms.deleted", "2026-11-23T12:00:00.000Z", extended, null));
    }

    @Test
    void schoolsCoursesStaffEachHaveTheirCollection() {
        district.delete(SandboxResource.SCHOOLS, first(SandboxResource.SCHOOLS).get("id").asText());
        district.delete(SandboxResource.COURSES, first(SandboxResource.COURSES).get("id").asText());
        district.delete(SandboxResource.STAFF, first(SandboxResource.STAFF).get("id").asText());

        assertThat(client.records("/v3.0/events")).extracting(event -> event.get("type").asText())
                .containsExactly("schools.deleted", "courses.deleted", "users.deleted");
    }

    @Test
    void anIdenticalPutAndDeletingAnAbsentIdRecordNoEvent() {
        ObjectNode generated = first(SandboxResource.STUDENTS);
        ObjectNode added = generated.deepCopy().put("id", "5a21ffffffffffffffffffff");

        district.put(SandboxResource.STUDENTS, generated);
        district.delete(SandboxResource.STUDENTS, "5a21eeeeeeeeeeeeeeeeeeee");
        assertThat(district.eventCount()).isZero();
        assertThat(district.newestEventId()).isNull();

        district.put(SandboxResource.STUDENTS, added);
        district.put(SandboxResource.STUDENTS, added.deepCopy());
        district.delete(SandboxResource.STUDENTS, "5a21ffffffffffffffffffff");
        district.delete(SandboxResource.STUDENTS, "5a21ffffffffffffffffffff");

        assertThat(district.eventCount()).isEqualTo(2);
        assertThat(district.newestEventId()).isEqualTo(id(2));
        assertThat(client.records("/v3.0/events")).extracting(event -> event.get("type").asText())
                .containsExactly("users.created", "users.deleted");
    }

    @Test
    void manyEventsPageOldestFirstWithNextLinksUntilTheLastPage() {
        changeOneStudent(250);

        List<JsonNode> pages = client.pages("/v3.0/events?limit=100");

        assertThat(pages).extracting(page -> page.get("data").size()).containsExactly(100, 100, 50);
        assertThat(link(pages.get(0), "self")).isEqualTo("/v3.0/events?limit=100");
        assertThat(link(pages.get(0), "next")).isEqualTo("/v3.0/events?limit=100&starting_after=" + id(100));
        assertThat(link(pages.get(1), "self")).isEqualTo("/v3.0/events?limit=100&starting_after=" + id(100));
        assertThat(link(pages.get(1), "next")).isEqualTo("/v3.0/events?limit=100&starting_after=" + id(200));
        assertThat(link(pages.get(2), "next")).isNull();
        List<String> served = new ArrayList<>();
        pages.forEach(page -> page.get("data").forEach(item -> {
            String id = item.get("data").get("id").asText();
            assertThat(item.get("uri").asText()).isEqualTo("/v3.0/events/" + id);
            served.add(id);
        }));
        assertThat(served).containsExactlyElementsOf(IntStream.rangeClosed(1, 250).mapToObj(SandboxEventsTest::id).toList());
        assertThat(client.json("/v3.0/events").get("data")).hasSize(100);
        assertThat(client.get("/v3.0/events?limit=10001").statusCode()).isEqualTo(413);
        assertThat(client.get("/v3.0/events?limit=0").statusCode()).isEqualTo(400);
    }

    @Test
    void tenThousandAndOneEventsPageAtTheMaximumLimit() {
        changeOneStudent(10_001);

        List<JsonNode> pages = client.pages("/v3.0/events?limit=10000");

        assertThat(pages).extracting(page -> page.get("data").size()).containsExactly(10_000, 1);
        assertThat(pages.get(1).get("data").get(0).get("data").get("id").asText()).isEqualTo(id(10_001));
        assertThat(district.eventCount()).isEqualTo(10_001);
    }

    @Test
    void endingBeforeLastWithLimit1IsTheNewestEventAndStartingAfterItIsEmpty() {
        JsonNode none = client.json("/v3.0/events?ending_before=last&limit=1");
        assertThat(none.get("data")).isEmpty();
        assertThat(link(none, "next")).isNull();
        assertThat(client.json("/v3.0/events").get("data")).isEmpty();

        changeOneStudent(5);

        JsonNode newest = client.json("/v3.0/events?ending_before=last&limit=1");
        assertThat(newest.get("data")).hasSize(1);
        assertThat(newest.get("data").get(0).get("data").get("id").asText()).isEqualTo(id(5)).isEqualTo(district.newestEventId());
        assertThat(link(newest, "next")).isNull();
        assertThat(link(newest, "self")).isEqualTo("/v3.0/events?limit=1&ending_before=last");
        assertThat(SandboxClient.ids(client.json("/v3.0/events?ending_before=last&limit=3")))
                .containsExactly(id(3), id(4), id(5));

        JsonNode afterNewest = client.json("/v3.0/events?starting_after=" + id(5));
        assertThat(afterNewest.get("data")).isEmpty();
        assertThat(link(afterNewest, "next")).isNull();
    }

    @Test
    void expiredEventsAreGoneAndACursorNamingOneIsRefusedWith404() {
        changeOneStudent(3);
        district.expireEvents();

        assertThat(district.eventCount()).isZero();
        assertThat(district.newestEventId()).isNull();
        for (String uri : List.of("/v3.0/events?starting_after=" + id(2), "/v3.0/events?starting_after=" + id(3),
                "/v3.0/events/" + id(3), "/v3.0/events?starting_after=5a60ffffffffffffffffffff",
                "/v3.1/events?starting_after=not-an-event")) {
            HttpResponse<String> refused = client.get(uri);
            assertThat(refused.statusCode()).as(uri).isEqualTo(404);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
            assertThat(parse(refused.body()).get("error").asText()).isNotBlank();
        }
        assertThat(client.json("/v3.0/events").get("data")).isEmpty();

        changeOneStudent(2);

        assertThat(district.eventCount()).isEqualTo(2);
        assertThat(district.newestEventId()).isEqualTo(id(5));
        assertThat(SandboxClient.ids(client.json("/v3.0/events"))).containsExactly(id(4), id(5));
        assertThat(SandboxClient.ids(client.json("/v3.0/events?starting_after=" + id(4)))).containsExactly(id(5));
    }

    @Test
    void eventIdsAre24HexAscendingAcrossResourcesAndExpiry() {
        district.delete(SandboxResource.SECTIONS, first(SandboxResource.SECTIONS).get("id").asText());
        district.delete(SandboxResource.SCHOOLS, first(SandboxResource.SCHOOLS).get("id").asText());
        String beforeExpiry = district.newestEventId();
        district.expireEvents();
        district.delete(SandboxResource.TEACHERS, first(SandboxResource.TEACHERS).get("id").asText());

        assertThat(beforeExpiry).isEqualTo("5a6000000000000000000002");
        assertThat(district.newestEventId()).isEqualTo("5a6000000000000000000003").isGreaterThan(beforeExpiry)
                .matches("[0-9a-f]{24}").isLessThan("last");
        assertThat(CleverIds.event(0xabcL)).isEqualTo("5a6000000000000000000abc").isGreaterThan(CleverIds.event(0xabbL));
    }

    @Test
    void createdFollowsTheClock() {
        Instant before = Instant.now();
        district.clock(Clock.systemUTC());
        district.delete(SandboxResource.TERMS, first(SandboxResource.TERMS).get("id").asText());
        Instant after = Instant.now();
        district.clock(Clock.fixed(Instant.parse("2027-01-02T03:04:05.678Z"), ZoneOffset.ofHours(9)));
        district.delete(SandboxResource.COURSES, first(SandboxResource.COURSES).get("id").asText());

        List<JsonNode> events = client.records("/v3.0/events");
        String systemCreated = events.get(0).get("created").asText();
        assertThat(systemCreated).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(Instant.parse(systemCreated)).isBetween(before.minusMillis(1), after);
        // UTC whatever the clock's zone
        assertThat(events.get(1).get("created").asText()).isEqualTo("2027-01-02T03:04:05.678Z");
    }

    @Test
    void concurrentChangesRecordEventsInTheOrderTheyWereMade() {
        ObjectNode student = first(SandboxResource.STUDENTS);
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            writers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 250; i++) {
                    district.put(SandboxResource.STUDENTS, student.deepCopy().put("writer", writer).put("n", i));
                }
            }));
        }
        writers.forEach(CompletableFuture::join);

        List<JsonNode> events = client.records("/v3.0/events?limit=10000");
        assertThat(events).hasSize(1000);
        // every update, undone by its previous attributes, is exactly the state the event before it left behind
        for (int i = 1; i < events.size(); i++) {
            ObjectNode undone = events.get(i).get("data").get("object").deepCopy();
            events.get(i).get("data").get("previous_attributes").properties().forEach(field -> {
                if (field.getValue().isNull()) {
                    undone.remove(field.getKey());
                } else {
                    undone.set(field.getKey(), field.getValue());
                }
            });
            assertThat(undone).as("event %d", i + 1).isEqualTo(events.get(i - 1).get("data").get("object"));
        }
        assertThat(events.get(999).get("data").get("object"))
                .isEqualTo(district.record(SandboxResource.STUDENTS, student.get("id").asText()).orElseThrow());
    }

    @Test
    void faultsHitEventPagesButNotSingleEvents() {
        changeOneStudent(1);
        sandbox.faults(SandboxFaults.none().withServerErrors(1.0));

        assertThat(client.get("/v3.0/events").statusCode()).isIn(500, 503);
        assertThat(client.get("/v3.1/events?ending_before=last&limit=1").statusCode()).isIn(500, 503);
        assertThat(client.get("/v3.0/events/" + id(1)).statusCode()).isEqualTo(200);
        assertThat(sandbox.faultsInjected()).isEqualTo(2);
    }

    @Test
    void singleEventsVersion31AndIgnoredFilters() {
        changeOneStudent(2);

        JsonNode single = client.json("/v3.1/events/" + id(2));
        assertThat(single.fieldNames()).toIterable().containsExactly("data", "links");
        assertThat(single.get("data").get("id").asText()).isEqualTo(id(2));
        assertThat(link(single, "self")).isEqualTo("/v3.1/events/" + id(2));
        assertThat(client.get("/v3.0/events/5a60ffffffffffffffffffff").statusCode()).isEqualTo(404);

        JsonNode page = client.json("/v3.1/events?limit=1&school=" + first(SandboxResource.SCHOOLS).get("id").asText()
                + "&record_type=sections");
        assertThat(page.get("data").get(0).get("uri").asText()).isEqualTo("/v3.1/events/" + id(1));
        assertThat(link(page, "next")).isEqualTo("/v3.1/events?limit=1&starting_after=" + id(1));
    }

    /** Makes {@code count} changes, each one event: a new student, then updates of it. */
    private void changeOneStudent(int count) {
        ObjectNode student = first(SandboxResource.STUDENTS).put("id", "5a21ffffffffffffffffffff");
        for (int i = 0; i < count; i++) {
            district.put(SandboxResource.STUDENTS, student.put("change", ++changes));
        }
    }

    private ObjectNode first(SandboxResource resource) {
        return district.records(resource).findFirst().orElseThrow();
    }

    private static String id(long sequence) {
        return String.format("5a60%020x", sequence);
    }

    private static ObjectNode event(long sequence, String type, String created, ObjectNode object, ObjectNode previous) {
        ObjectNode event = MAPPER.createObjectNode().put("id", id(sequence)).put("type", type).put("created", created);
        ObjectNode data = event.putObject("data").set("object", object);
        if (previous != null) {
            data.set("previous_attributes", previous);
        }
        return event;
    }

    private static ObjectNode item(ObjectNode event) {
        ObjectNode item = MAPPER.createObjectNode();
        item.set("data", event);
        return item.put("uri", "/v3.0/events/" + event.get("id").asText());
    }
}
