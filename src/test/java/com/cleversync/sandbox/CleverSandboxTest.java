package com.cleversync.sandbox;

import static com.cleversync.sandbox.SandboxClient.MAPPER;
import static com.cleversync.sandbox.SandboxClient.ids;
import static com.cleversync.sandbox.SandboxClient.link;
import static com.cleversync.sandbox.SandboxClient.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

class CleverSandboxTest {

    private static final String TOKEN = "sandbox-test-token";
    /** Far above what any test sends, so only the rate-limit test ever sees a 429. */
    private static final int UNLIMITED = 1_000_000;

    private static SandboxDistrict demo;
    private static CleverSandbox sandbox;
    private static SandboxClient client;

    @BeforeAll
    static void startDemoSandbox() {
        demo = new SandboxDistrict(SandboxSize.demo());
        sandbox = CleverSandbox.start(demo, TOKEN, 0, UNLIMITED);
        client = new SandboxClient(sandbox);
    }

    @AfterAll
    static void stopDemoSandbox() {
        sandbox.close();
    }

    @Test
    void pagingThroughAllStudentsWithLimit7ReturnsExactlyTheDistrictsStudentsInOrder() {
        List<JsonNode> pages = client.pages("/v3.0/users?role=student&limit=7");

        List<JsonNode> served = new ArrayList<>();
        for (JsonNode page : pages) {
            assertThat(page.get("data").size()).isBetween(1, 7);
            for (JsonNode item : page.get("data")) {
                assertThat(item.get("uri").asText()).isEqualTo("/v3.0/users/" + item.get("data").get("id").asText());
                served.add(item.get("data"));
            }
            String next = link(page, "next");
            if (next != null) {
                assertThat(next).isEqualTo("/v3.0/users?role=student&limit=7&starting_after="
                        + page.get("data").get(page.get("data").size() - 1).get("data").get("id").asText());
            }
        }
        List<ObjectNode> truth = demo.records(SandboxResource.STUDENTS).toList();
        assertThat(served).hasSize(600).containsExactlyElementsOf(truth);
        assertThat(new HashSet<>(served.stream().map(r -> r.get("id").asText()).toList())).hasSize(600);
        assertThat(pages).hasSize(86);
    }

    @Test
    void firstPageLinksAreRelativeAndKeepTheRole() {
        JsonNode page = client.json("/v3.0/users?role=teacher&limit=2");

        assertThat(page.fieldNames()).toIterable().containsExactly("data", "links");
        assertThat(link(page, "self")).isEqualTo("/v3.0/users?role=teacher&limit=2");
        assertThat(link(page, "prev")).isNull();
        assertThat(link(page, "next")).isEqualTo("/v3.0/users?role=teacher&limit=2&starting_after=" + ids(page).get(1));
        assertThat(page.get("data").get(0).fieldNames()).toIterable().containsExactly("data", "uri");
    }

    @Test
    void aPageThatEndsExactlyAtTheLastRecordHasNoNextLink() {
        SandboxDistrict district = new SandboxDistrict(new SandboxSize(3, 21, 6, 2, 9, 5, 2, 4, 7L));
        try (CleverSandbox small = CleverSandbox.start(district, TOKEN, 0, UNLIMITED)) {
            SandboxClient smallClient = new SandboxClient(small);

            List<JsonNode> pages = smallClient.pages("/v3.0/users?role=student&limit=7");
            assertThat(pages).extracting(page -> page.get("data").size()).containsExactly(7, 7, 7);
            assertThat(link(pages.get(2), "next")).isNull();

            JsonNode whole = smallClient.json("/v3.0/users?role=student&limit=21");
            assertThat(whole.get("data")).hasSize(21);
            assertThat(link(whole, "next")).isNull();

            JsonNode afterLast = smallClient.json("/v3.0/users?role=student&starting_after=" + ids(whole).get(20));
            assertThat(afterLast.get("data")).isEmpty();
            assertThat(link(afterLast, "next")).isNull();
        }
    }

    @Test
    void defaultLimitIs100() {
        JsonNode page = client.json("/v3.0/users?role=student");

        assertThat(page.get("data")).hasSize(100);
        assertThat(link(page, "next")).isEqualTo("/v3.0/users?role=student&limit=100&starting_after=" + ids(page).get(99));
    }

    @Test
    void limitAbove10000IsRefusedWith413AndInvalidLimitsWith400() {
        HttpResponse<String> tooLarge = client.get("/v3.0/users?role=student&limit=10001");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(parse(tooLarge.body()).get("error").asText()).isNotBlank();
        assertThat(tooLarge.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");

        assertThat(client.get("/v3.0/users?role=student&limit=99999999999999999999").statusCode()).isEqualTo(413);
        assertThat(client.get("/v3.0/users?role=student&limit=0").statusCode()).isEqualTo(400);
        assertThat(client.get("/v3.0/users?role=student&limit=-3").statusCode()).isEqualTo(400);
        assertThat(client.get("/v3.0/users?role=student&limit=ten").statusCode()).isEqualTo(400);
        assertThat(client.json("/v3.0/users?role=student&limit=10000").get("data")).hasSize(600);
    }

    @Test
    void missingOrWrongTokenIsRefusedWith401WithoutEchoingTheToken() {
        HttpResponse<String> missing = client.get("/v3.0/schools", null);
        HttpResponse<String> wrong = client.get("/v3.0/schools", "Bearer not-" + TOKEN);
        HttpResponse<String> notBearer = client.get("/v3.0/schools", "Basic " + TOKEN);

        for (HttpResponse<String> response : List.of(missing, wrong, notBearer)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(parse(response.body()).get("error").asText()).isEqualTo("invalid token");
            assertThat(response.body()).doesNotContain(TOKEN);
        }
    }

    @Test
    void requestBeyondTheMinutesBudgetIsRefusedWith429AndPlainText() {
        RateLimitRun run = runRateLimitScenario();
        if (run.windowRolledOver()) {
            // the minute ticked over mid-scenario and refilled the budget: one fresh run cannot hit that again
            run = runRateLimitScenario();
        }

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> allowed = run.responses().get(i);
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.headers().firstValue("X-RateLimit-Limit")).hasValue("5");
            assertThat(allowed.headers().firstValue("X-RateLimit-Remaining")).hasValue(String.valueOf(4 - i));
        }
        HttpResponse<String> refused = run.responses().get(5);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("X-RateLimit-Limit")).hasValue("5");
        assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
        long reset = Long.parseLong(refused.headers().firstValue("X-RateLimit-Reset").orElseThrow());
        assertThat(reset % 60).isZero();
        assertThat(reset).isBetween(run.startedEpochSeconds(), run.startedEpochSeconds() + 120);
        assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(refused.body()).isNotBlank();
        assertThatThrownBy(() -> MAPPER.readTree(refused.body())).isInstanceOf(JsonProcessingException.class);
        assertThat(run.rateLimitedCount()).isEqualTo(1);
        assertThat(run.requestCount()).isEqualTo(6);
    }

    private static RateLimitRun runRateLimitScenario() {
        long started = System.currentTimeMillis() / 1000;
        try (CleverSandbox limited = CleverSandbox.start(new SandboxDistrict(SandboxSize.demo()), TOKEN, 0, 5)) {
            SandboxClient limitedClient = new SandboxClient(limited);
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                responses.add(limitedClient.get("/v3.0/schools"));
            }
            return new RateLimitRun(started, responses, limited.requestCount(), limited.rateLimitedCount());
        }
    }

    private record RateLimitRun(long startedEpochSeconds, List<HttpResponse<String>> responses,
                                long requestCount, long rateLimitedCount) {

        boolean windowRolledOver() {
            return responses.stream().map(r -> r.headers().firstValue("X-RateLimit-Reset").orElse("")).distinct().count() > 1;
        }
    }

    @Test
    void endingBeforeReturnsTheRecordsJustBeforeInAscendingOrder() {
        List<String> all = demo.records(SandboxResource.STUDENTS).map(s -> s.get("id").asText()).toList();

        JsonNode page = client.json("/v3.0/users?role=student&limit=5&ending_before=" + all.get(20));
        assertThat(ids(page)).containsExactlyElementsOf(all.subList(15, 20));
        assertThat(link(page, "prev")).isEqualTo("/v3.0/users?role=student&limit=5&ending_before=" + all.get(15));
        assertThat(link(page, "next")).isEqualTo("/v3.0/users?role=student&limit=5&starting_after=" + all.get(19));

        JsonNode nearStart = client.json("/v3.0/users?role=student&limit=5&ending_before=" + all.get(3));
        assertThat(ids(nearStart)).containsExactlyElementsOf(all.subList(0, 3));

        JsonNode beforeFirst = client.json("/v3.0/users?role=student&limit=5&ending_before=" + all.get(0));
        assertThat(beforeFirst.get("data")).isEmpty();

        // the cursor id need not exist: "~" sorts after every hex id
        JsonNode lastPage = client.json("/v3.0/users?role=student&limit=4&ending_before=~");
        assertThat(ids(lastPage)).containsExactlyElementsOf(all.subList(596, 600));
        assertThat(link(lastPage, "next")).isNull();
    }

    @Test
    void startingAfterNeedNotBeAnExistingId() {
        List<String> all = demo.records(SandboxResource.STUDENTS).map(s -> s.get("id").asText()).toList();

        JsonNode page = client.json("/v3.0/users?role=student&limit=3&starting_after=" + all.get(9) + "0");
        assertThat(ids(page)).containsExactlyElementsOf(all.subList(10, 13));
        assertThat(link(page, "prev")).isEqualTo("/v3.0/users?role=student&limit=3&ending_before=" + all.get(10));

        assertThat(ids(client.json("/v3.0/users?role=student&limit=2&starting_after=0"))).containsExactlyElementsOf(all.subList(0, 2));
    }

    @Test
    void putAndDeleteShowUpInTheServedPages() {
        SandboxDistrict district = new SandboxDistrict(new SandboxSize(2, 30, 4, 2, 6, 5, 2, 4, 11L));
        List<String> generated = district.records(SandboxResource.STUDENTS).map(s -> s.get("id").asText()).toList();
        String between = generated.get(4) + "-added by a test, é ü/?&";
        ObjectNode added = district.record(SandboxResource.STUDENTS, generated.get(4)).orElseThrow().put("id", between);
        ObjectNode replaced = district.record(SandboxResource.STUDENTS, generated.get(7)).orElseThrow();
        replaced.with("name").put("last", "Replacedóttir");
        district.put(SandboxResource.STUDENTS, added);
        district.put(SandboxResource.STUDENTS, replaced);
        district.delete(SandboxResource.STUDENTS, generated.get(12));

        try (CleverSandbox mutated = CleverSandbox.start(district, TOKEN, 0, UNLIMITED)) {
            SandboxClient mutatedClient = new SandboxClient(mutated);
            List<JsonNode> served = mutatedClient.records("/v3.0/users?role=student&limit=4");

            List<String> servedIds = served.stream().map(s -> s.get("id").asText()).toList();
            assertThat(servedIds).hasSize(30).doesNotContain(generated.get(12));
            assertThat(servedIds.get(5)).isEqualTo(between);
            assertThat(served.get(8).get("name").get("last").asText()).isEqualTo("Replacedóttir");
            assertThat(served).containsExactlyElementsOf(district.records(SandboxResource.STUDENTS).toList());

            String encoded = URLEncoder.encode(between, StandardCharsets.UTF_8).replace("+", "%20");
            JsonNode single = mutatedClient.json("/v3.0/users/" + encoded);
            assertThat(single.get("data")).isEqualTo(added);
            assertThat(mutatedClient.get("/v3.0/users/" + generated.get(12)).statusCode()).isEqualTo(404);

            JsonNode nextAfterAdded = mutatedClient.json("/v3.0/users?role=student&limit=1&starting_after="
                    + URLEncoder.encode(between, StandardCharsets.UTF_8));
            assertThat(ids(nextAfterAdded)).containsExactly(generated.get(5));
        }
    }

    @Test
    void keptPagesAreServedAgainUntilTheDistrictChanges() {
        SandboxDistrict district = new SandboxDistrict(new SandboxSize(2, 30, 4, 2, 6, 5, 2, 4, 11L));
        try (CleverSandbox kept = CleverSandbox.start(district, TOKEN, 0, UNLIMITED)) {
            kept.keepPages();
            SandboxClient keptClient = new SandboxClient(kept);
            String page = "/v3.0/users?role=student&limit=4";
            String first = keptClient.get(page).body();
            assertThat(keptClient.get(page).body()).isEqualTo(first);
            assertThat(ids(parse(first))).hasSize(4);

            String id = ids(parse(first)).get(1);
            ObjectNode renamed = district.record(SandboxResource.STUDENTS, id).orElseThrow();
            renamed.with("name").put("last", "Renamed");
            district.put(SandboxResource.STUDENTS, renamed);
            JsonNode changed = parse(keptClient.get(page).body());
            assertThat(changed.get("data").get(1).get("data")).isEqualTo(renamed);
            assertThat(keptClient.records(page)).containsExactlyElementsOf(district.records(SandboxResource.STUDENTS).toList());

            String events = "/v3.0/events?limit=10";
            assertThat(ids(parse(keptClient.get(events).body()))).hasSize(1);
            district.expireEvents();
            assertThat(ids(parse(keptClient.get(events).body()))).isEmpty();
        }
    }

    @Test
    void everyCollectionServesExactlyTheDistrictsRecords() {
        assertThat(client.records("/v3.0/schools")).containsExactlyElementsOf(demo.records(SandboxResource.SCHOOLS).toList());
        assertThat(client.records("/v3.0/users?role=teacher&limit=9"))
                .containsExactlyElementsOf(demo.records(SandboxResource.TEACHERS).toList());
        assertThat(client.records("/v3.0/users?role=staff")).containsExactlyElementsOf(demo.records(SandboxResource.STAFF).toList());
        assertThat(client.records("/v3.0/sections?limit=50"))
                .containsExactlyElementsOf(demo.records(SandboxResource.SECTIONS).toList());
        assertThat(client.records("/v3.0/terms")).containsExactlyElementsOf(demo.records(SandboxResource.TERMS).toList());
        assertThat(client.records("/v3.0/courses")).containsExactlyElementsOf(demo.records(SandboxResource.COURSES).toList());
    }

    @Test
    void usersWithoutRoleAreAllUsersInAscendingIdOrder() {
        List<JsonNode> users = client.records("/v3.0/users?limit=250");

        List<ObjectNode> expected = Stream.of(SandboxResource.STUDENTS, SandboxResource.TEACHERS, SandboxResource.STAFF)
                .flatMap(demo::records).toList();
        assertThat(users).containsExactlyElementsOf(expected);
        List<String> ids = users.stream().map(u -> u.get("id").asText()).toList();
        assertThat(ids).isSorted();
        assertThat(client.json("/v3.0/users?role=district_admin").get("data")).isEmpty();
        assertThat(client.get("/v3.0/users?role=principal").statusCode()).isEqualTo(400);
    }

    @Test
    void districtsListsTheOneDistrict() {
        JsonNode page = client.json("/v3.0/districts");

        assertThat(page.get("data")).hasSize(1);
        JsonNode district = page.get("data").get(0);
        assertThat(district.get("data").get("id").asText()).isEqualTo(demo.id());
        assertThat(district.get("data").get("name").asText()).isNotBlank();
        assertThat(district.get("uri").asText()).isEqualTo("/v3.0/districts/" + demo.id());
        assertThat(link(page, "next")).isNull();
        assertThat(client.json("/v3.0/districts/" + demo.id()).get("data").get("id").asText()).isEqualTo(demo.id());
    }

    @Test
    void singleRecordsAndUnknownPaths() {
        ObjectNode section = demo.records(SandboxResource.SECTIONS).skip(17).findFirst().orElseThrow();
        ObjectNode teacher = demo.records(SandboxResource.TEACHERS).findFirst().orElseThrow();

        JsonNode single = client.json("/v3.0/sections/" + section.get("id").asText());
        assertThat(single.get("data")).isEqualTo(section);
        assertThat(link(single, "self")).isEqualTo("/v3.0/sections/" + section.get("id").asText());
        assertThat(client.json("/v3.0/users/" + teacher.get("id").asText()).get("data")).isEqualTo(teacher);

        HttpResponse<String> absent = client.get("/v3.0/sections/5a30ffffffffffffffffffff");
        assertThat(absent.statusCode()).isEqualTo(404);
        assertThat(parse(absent.body()).get("error").asText()).isNotBlank();
        assertThat(client.get("/v3.0/teachers").statusCode()).isEqualTo(404);
        assertThat(client.get("/v2.1/schools").statusCode()).isEqualTo(404);
        assertThat(client.get("/").statusCode()).isEqualTo(404);
        assertThat(client.get("/v3.0/sections/" + section.get("id").asText() + "/students").statusCode()).isEqualTo(404);
    }

    @Test
    void version31IsServedLikeVersion30() {
        JsonNode page = client.json("/v3.1/users?role=student&limit=3&ignored=yes");

        assertThat(ids(page)).containsExactlyElementsOf(
                demo.records(SandboxResource.STUDENTS).limit(3).map(s -> s.get("id").asText()).toList());
        assertThat(page.get("data").get(0).get("uri").asText()).startsWith("/v3.1/users/");
        assertThat(link(page, "next")).startsWith("/v3.1/users?role=student&limit=3&starting_after=");
    }

    @Test
    void responsesAreUtf8Json() {
        HttpResponse<String> response = client.get("/v3.0/users?role=student&limit=600");

        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(response.body()).contains("Canarysson").containsAnyOf("Zoë", "Nguyễn", "Müller-Lüdenscheidt");
    }

    @Test
    void severalClientsCanPageAtTheSameTime() {
        List<String> expected = demo.records(SandboxResource.STUDENTS).map(s -> s.get("id").asText()).toList();

        List<CompletableFuture<List<String>>> pagers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int limit = 20 + i * 7;
            pagers.add(CompletableFuture.supplyAsync(() -> client.records("/v3.0/users?role=student&limit=" + limit)
                    .stream().map(s -> s.get("id").asText()).toList()));
        }

        for (CompletableFuture<List<String>> pager : pagers) {
            assertThat(pager.join()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void countsServedRequestsAndStopsOnClose() {
        CleverSandbox own = CleverSandbox.start(new SandboxDistrict(SandboxSize.demo()), TOKEN, 0, UNLIMITED);
        SandboxClient ownClient = new SandboxClient(own);
        assertThat(own.baseUrl()).isEqualTo("http://127.0.0.1:" + own.port());
        assertThat(own.token()).isEqualTo(TOKEN);

        ownClient.get("/v3.0/schools");
        ownClient.get("/v3.0/nothing-here");
        ownClient.get("/v3.0/schools", null);
        assertThat(own.requestCount()).isEqualTo(3);
        assertThat(own.rateLimitedCount()).isZero();

        own.close();
        own.close();
        assertThatThrownBy(() -> ownClient.get("/v3.0/schools")).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void combiningBothCursorsIsABadRequest() {
        String id = demo.records(SandboxResource.STUDENTS).findFirst().orElseThrow().get("id").asText();

        HttpResponse<String> response = client.get("/v3.0/users?role=student&starting_after=" + id + "&ending_before=" + id);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(parse(response.body()).get("error").asText()).isNotBlank();
    }

    @Test
    void rateLimitHeadersAccompanyEveryAuthorisedResponse() {
        List<HttpResponse<String>> responses = List.of(client.get("/v3.0/schools"), client.get("/v3.0/missing"),
                client.get("/v3.0/schools?limit=0"));

        assertThat(responses).allSatisfy(response -> assertThat(response.headers().map().keySet()
                .stream().map(String::toLowerCase).collect(Collectors.toSet()))
                .contains("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"));
    }
}
