package com.cleversync.clever;

import com.cleversync.source.RateLimitWait;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Headers;
import org.apache.camel.Variable;
import org.apache.camel.Variables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request to Clever and what its answer means, for the district's page route: the request
 * with the district's current token; a 200 as a validated {@link CleverPage}, its records read as the schools' records; a 429 as a wait
 * before asking again (Clever's {@code X-RateLimit-Reset} or {@code Retry-After}); a 401 as a token
 * read again from configuration and the request repeated, or a refusal; 5xx as unavailable (the
 * page is retried); a refused events cursor; anything else as a refusal. A failed answer's body is
 * drained. The route keeps what Camel does best around it: the permit, the circuit breaker, the
 * retries, and removing the token's header as soon as the request is sent (Camel's bean binding
 * logs the headers it binds at TRACE, so no method here binds them once the token is set).
 */
public final class CleverConversation {
    /** Variable: the relative URI of the page to request. */
    public static final String PAGE = "cleverNextPage";
    /** Variable: the {@link CleverResource} being read. */
    public static final String RESOURCE = "cleverResource";
    /** Variable: true after a 429, so the route asks again after {@link #WAIT} milliseconds. */
    public static final String RATE_LIMITED = "cleverRateLimited";
    /** Variable: milliseconds to wait before the next request of a page (0 unless rate limited). */
    public static final String WAIT = "cleverRateLimitWait";
    /** Exchange property: the district's {@link CleverToken}. */
    public static final String TOKEN = "cleverToken";
    /** Exchange property: the district's key (for logs and metrics). */
    public static final String DISTRICT = "cleverDistrict";
    /** Header: which token's rate limit a request counts against (a digest, never the token). */
    public static final String PERMIT_KEY = "CleverSyncTokenKey";

    private static final Logger LOG = LoggerFactory.getLogger(CleverConversation.class);

    /** What operations learn from the conversation (Clever's answers, time waited for its rate limit). */
    public interface Observer {
        void answered(String district, int status);

        void waitedOutRateLimit(String district, Duration wait);
    }

    private final CleverApi api;
    private final CleverRecords records;
    private final Duration rateLimitFallback;
    private final Observer observer;

    /**
     * @param records           what a page's records become as they are parsed
     * @param rateLimitFallback how long to wait after a 429 that says nothing about when to ask again
     */
    public CleverConversation(CleverApi api, CleverRecords records, Duration rateLimitFallback, Observer observer) {
        this.api = api;
        this.records = records;
        this.rateLimitFallback = rateLimitFallback;
        this.observer = observer;
    }

    /**
     * The request for a page: the previous answer's headers go (Camel's own stay: they count the
     * redeliveries), the token is the district's current one.
     */
    public void request(@Variable(PAGE) String page, @ExchangeProperty(TOKEN) CleverToken token,
                        @Headers Map<String, Object> headers) {
        headers.keySet().removeIf(name -> !name.startsWith("Camel"));
        String current = token.current();
        headers.put(Exchange.HTTP_METHOD, "GET");
        headers.put(Exchange.HTTP_URI, api.baseUrl() + page);
        headers.put("Authorization", "Bearer " + current);
        headers.put(PERMIT_KEY, Integer.toHexString(current.hashCode()));
    }

    /**
     * The answer: a validated page, or null after a 429 (with {@link #RATE_LIMITED} and {@link #WAIT}
     * set); otherwise a failure that says what to do.
     *
     * @throws CleverUnavailableException   5xx, or a 401 answered by a rotated token: retry the page
     * @throws EventCursorRejectedException 400/404/410 for the events feed: the cursor is no longer valid
     * @throws CleverRejectedException      anything else: the page cannot be read
     */
    public CleverPage<?> answer(@Header(Exchange.HTTP_RESPONSE_CODE) int status, @Body InputStream body,
                             @Header("X-RateLimit-Reset") String rateLimitReset, @Header("Retry-After") String retryAfter,
                             @Variable(RESOURCE) CleverResource resource, @Variable(PAGE) String page,
                             @ExchangeProperty(TOKEN) CleverToken token, @ExchangeProperty(DISTRICT) String district,
                             @Variables Map<String, Object> variables) {
        observer.answered(district, status);
        variables.put(RATE_LIMITED, status == 429);
        variables.put(WAIT, 0L);
        if (status == 200) {
            return CleverPage.parse(resource, page, body, records.reader(resource));
        }
        drain(body);
        if (status == 429) {
            Duration wait = RateLimitWait.after429(rateLimitReset, retryAfter, rateLimitFallback, Instant.now());
            variables.put(WAIT, wait.toMillis());
            observer.waitedOutRateLimit(district, wait);
            LOG.info("district {}: Clever rate limit reached; waiting {} ms", district, wait.toMillis());
            return null;
        }
        String failure = "HTTP " + status + " from GET " + page;
        if (status == 401) {
            if (token.reload()) {
                throw new CleverUnavailableException(failure + ": the district token was rotated; retrying with the new one");
            }
            throw new CleverRejectedException(failure + ": Clever rejects district " + district
                    + "'s token, also after reading it again from configuration");
        }
        if (status >= 500) {
            throw new CleverUnavailableException(failure);
        }
        if (resource == CleverResource.EVENTS && (status == 400 || status == 404 || status == 410)) {
            throw new EventCursorRejectedException(failure);
        }
        throw new CleverRejectedException(failure);
    }

    private static void drain(InputStream body) {
        if (body == null) {
            return;
        }
        try (body) {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the body of a failed response is of no interest; the connection is discarded
        }
    }
}
