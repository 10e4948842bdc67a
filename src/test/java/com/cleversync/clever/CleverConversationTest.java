package com.cleversync.clever;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/** What each of Clever's answers means for the page being read. */
class CleverConversationTest {
    private static final String PAGE = "/v3.0/users?role=student&limit=2";
    private final List<String> observed = new ArrayList<>();
    private final CleverConversation conversation = new CleverConversation(new CleverApi("https://api.clever.com", 2),
            new CleverRecords(new OmittedFields(List.of())), Duration.ofSeconds(7), new CleverConversation.Observer() {
                @Override
                public void answered(String district, int status) {
                    observed.add(district + " " + status);
                }

                @Override
                public void waitedOutRateLimit(String district, Duration wait) {
                    observed.add(district + " waited " + wait.toSeconds() + " s");
                }
            });
    private final AtomicReference<String> vault = new AtomicReference<>("token-1");
    private final CleverToken token = new CleverToken("{{vault}}", placeholder -> vault.get());
    private final Map<String, Object> variables = new HashMap<>();

    @Test
    void aRequestCarriesTheCurrentTokenAndNoneOfThePreviousAnswersHeaders() {
        Map<String, Object> headers = new HashMap<>(Map.of("Retry-After", "3", "CamelRedeliveryCounter", 1));

        conversation.request(PAGE, token, headers);

        assertThat(headers).containsEntry(Exchange.HTTP_METHOD, "GET")
                .containsEntry(Exchange.HTTP_URI, "https://api.clever.com" + PAGE)
                .containsEntry("Authorization", "Bearer token-1")
                .containsEntry(CleverConversation.PERMIT_KEY, Integer.toHexString("token-1".hashCode()))
                .containsEntry("CamelRedeliveryCounter", 1).doesNotContainKey("Retry-After");
    }

    @Test
    void a200IsTheValidatedPage() {
        CleverPage<?> page = answer(200, "{\"data\":[{\"data\":{\"id\":\"a\"}}],\"links\":[]}", null, null,
                CleverResource.STUDENTS);

        assertThat(page.size()).isEqualTo(1);
        assertThat(page.items()).singleElement().isInstanceOfSatisfying(com.cleversync.school.SchoolRecord.class,
                record -> assertThat(record.id()).isEqualTo("a")); // read as the school's record while parsed
        assertThat(page.next()).isNull();
        assertThat(variables).containsEntry(CleverConversation.RATE_LIMITED, false);
        assertThat(observed).containsExactly("springfield 200");
    }

    @Test
    void a429AsksAgainAfterRetryAfterOrTheFallback() {
        assertThat(answer(429, "slow down", null, "3", CleverResource.STUDENTS)).isNull();
        assertThat(variables).containsEntry(CleverConversation.RATE_LIMITED, true)
                .containsEntry(CleverConversation.WAIT, 3000L);

        assertThat(answer(429, "", null, null, CleverResource.STUDENTS)).isNull();
        assertThat(variables).containsEntry(CleverConversation.WAIT, 7000L);
        assertThat(observed).containsExactly("springfield 429", "springfield waited 3 s", "springfield 429",
                "springfield waited 7 s");
    }

    @Test
    void a401WithARotatedTokenIsRetriedAndWithoutOneRefused() {
        token.current();
        vault.set("token-2");
        assertThatThrownBy(() -> answer(401, "", null, null, CleverResource.STUDENTS))
                .isInstanceOf(CleverUnavailableException.class).hasMessageEndingWith("the district token was rotated; retrying with the new one");
        assertThat(token.current()).isEqualTo("token-2");

        assertThatThrownBy(() -> answer(401, "", null, null, CleverResource.STUDENTS))
                .isInstanceOf(CleverRejectedException.class)
                .hasMessage("HTTP 401 from GET " + PAGE + ": Clever rejects district springfield's token, also after"
                        + " reading it again from configuration");
    }

    @Test
    void serverErrorsAreRetriedARefusedEventCursorFallsBackAndOtherStatusesRefuse() {
        assertThatThrownBy(() -> answer(503, "", null, null, CleverResource.STUDENTS))
                .isInstanceOf(CleverUnavailableException.class).hasMessage("HTTP 503 from GET " + PAGE);
        for (int status : new int[] {400, 404, 410}) {
            assertThatThrownBy(() -> answer(status, "", null, null, CleverResource.EVENTS))
                    .isInstanceOf(EventCursorRejectedException.class);
        }
        assertThatThrownBy(() -> answer(404, "", null, null, CleverResource.STUDENTS))
                .isInstanceOf(CleverRejectedException.class).hasMessage("HTTP 404 from GET " + PAGE);
    }

    private CleverPage<?> answer(int status, String body, String reset, String retryAfter, CleverResource resource) {
        InputStream in = new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
        return conversation.answer(status, in, reset, retryAfter, resource, PAGE, token, "springfield", variables);
    }
}
