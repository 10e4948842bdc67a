package com.cleversync.oneroster;

import com.cleversync.source.RateLimitWait;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
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
 * One request to a OneRoster provider and what its answer means, for the district's page route: the
 * request with the district's current access token; a 200 as an {@link OneRosterAnswer} whose
 * records are read as the schools' records while the page is parsed; a 429 as a wait before asking
 * again ({@code Retry-After}, seconds or an HTTP date); a 401 as the token dropped and the page
 * retried with a new one, and a new token refused too as a refusal; 5xx as unavailable (the page is retried); a 400 to a
 * delta's filter as a provider without deltas; anything else as a refusal. A failed answer's body is
 * drained. As for Clever, the route keeps the permit, the circuit breaker, the retries and removing
 * the token's header as soon as the request is sent (bean binding logs the headers it binds at
 * TRACE, so no method here binds them once the token is set).
 */
public final class OneRosterConversation {
    /** Variable: the {@link OneRosterRequest} of the page to ask for. */
    public static final String REQUEST = "onerosterRequest";
    /** Variable: what each record of the page becomes while it is parsed ({@link OneRosterRecords}). */
    public static final String READER = "onerosterReader";
    /** Variable: true after a 429, so the route asks again after {@link #WAIT} milliseconds. */
    public static final String RATE_LIMITED = "onerosterRateLimited";
    /** Variable: milliseconds to wait before the next request of a page (0 unless rate limited). */
    public static final String WAIT = "onerosterRateLimitWait";
    /** Exchange property: the district's {@link OneRosterToken}. */
    public static final String TOKEN = "onerosterToken";
    /** Exchange property: the district's {@link OneRosterApi}. */
    public static final String API = "onerosterApi";
    /** Exchange property: the district's key (for logs and metrics). */
    public static final String DISTRICT = "onerosterDistrict";
    /** Header: which client's limit a request counts against (a digest of the client id). */
    public static final String PERMIT_KEY = "CleverSyncPermitKey";
    /** Header: that client's requests per window. */
    public static final String PERMITS = "CleverSyncPermits";

    private static final Logger LOG = LoggerFactory.getLogger(OneRosterConversation.class);
    private static final Pattern NEXT_LINK = Pattern.compile("rel\\s*=\\s*\"?next\"?", Pattern.CASE_INSENSITIVE);

    /** What operations learn from the conversation (the provider's answers, time waited for its rate limit). */
    public interface Observer {
        void answered(String district, int status);

        void waitedOutRateLimit(String district, Duration wait);
    }

    private final Duration rateLimitFallback;
    private final Observer observer;
    /*
     * Kept here, not in the exchange: the answer is read inside the circuit breaker, on a copy of the
     * exchange that is dropped when the answer fails. Per district token (identity): the token its
     * last request carried, to drop exactly that one when it is refused; the tokens fetched to replace
     * a refused one, until the provider accepts them (a replacement refused too is the end).
     */
    private final Map<OneRosterToken, String> sent = new ConcurrentHashMap<>();
    private final Set<OneRosterToken> renewing = ConcurrentHashMap.newKeySet();
    private final Map<OneRosterToken, String> renewed = new ConcurrentHashMap<>();

    /** @param rateLimitFallback how long to wait after a 429 that does not say when to ask again */
    public OneRosterConversation(Duration rateLimitFallback, Observer observer) {
        this.rateLimitFallback = rateLimitFallback;
        this.observer = observer;
    }

    /** The request for a page: the previous answer's headers go (Camel's own stay: they count the redeliveries). */
    public void request(@Variable(REQUEST) OneRosterRequest request, @ExchangeProperty(API) OneRosterApi api,
                        @ExchangeProperty(TOKEN) OneRosterToken token, @Headers Map<String, Object> headers) {
        headers.keySet().removeIf(name -> !name.startsWith("Camel"));
        String current = token.current();
        sent.put(token, current);
        if (renewing.remove(token)) {
            renewed.put(token, current);
        }
        headers.put(Exchange.HTTP_METHOD, "GET");
        headers.put(Exchange.HTTP_URI, request.uri(api.collectionsUrl()));
        headers.put("Accept", "application/json");
        headers.put("Authorization", "Bearer " + current);
        headers.put(PERMIT_KEY, token.clientKey());
        headers.put(PERMITS, api.requestsPerMinute());
    }

    /**
     * The answer: a parsed page, or null after a 429 (with {@link #RATE_LIMITED} and {@link #WAIT} set);
     * otherwise a failure that says what to do.
     *
     * @throws OneRosterUnavailableException 5xx, or a first 401 (the token is renewed): retry the page
     * @throws DeltaRefusedException         400 to a delta's filter: the provider cannot give deltas
     * @throws OneRosterRejectedException    anything else: the page cannot be read
     * @throws InvalidOneRosterPageException a body that is not the collection's page: retry the page
     */
    public OneRosterAnswer answer(@Header(Exchange.HTTP_RESPONSE_CODE) int status, @Body InputStream body,
                                  @Header("Retry-After") String retryAfter, @Header("X-Total-Count") String totalCount,
                                  @Header("x-count") String count, @Header("Link") String link,
                                  @Variable(REQUEST) OneRosterRequest request,
                                  @Variable(READER) Function<OneRosterRecord, ?> reader,
                                  @ExchangeProperty(TOKEN) OneRosterToken token,
                                  @ExchangeProperty(DISTRICT) String district, @Variables Map<String, Object> variables) {
        observer.answered(district, status);
        variables.put(RATE_LIMITED, status == 429);
        variables.put(WAIT, 0L);
        if (status == 200) {
            renewed.remove(token);
            OneRosterPage<?> page = OneRosterPage.parse(request.collection(), body, reader);
            Long total = number(totalCount != null ? totalCount : count);
            return new OneRosterAnswer(request, page, total, link == null ? null : NEXT_LINK.matcher(link).find());
        }
        drain(body);
        if (status == 429) {
            Duration wait = RateLimitWait.after429(null, retryAfter, rateLimitFallback, Instant.now());
            variables.put(WAIT, wait.toMillis());
            observer.waitedOutRateLimit(district, wait);
            LOG.info("district {}: the OneRoster provider's rate limit was reached; waiting {} ms", district, wait.toMillis());
            return null;
        }
        String failure = "HTTP " + status + " from " + request;
        if (status == 401) {
            String refused = sent.get(token);
            token.invalidate(refused);
            if (refused == null || !refused.equals(renewed.remove(token))) {
                renewing.add(token);
                throw new OneRosterUnavailableException(failure + ": the access token was refused; retrying with a new one");
            }
            throw new OneRosterRejectedException(failure + ": the provider refuses district " + district
                    + "'s access token, also a newly issued one (is the client allowed to read " + request.collection().path() + "?)");
        }
        if (status >= 500) {
            throw new OneRosterUnavailableException(failure);
        }
        if (status == 400 && request.filter() != null) {
            throw new DeltaRefusedException("the provider answered " + failure + " to a dateLastModified filter");
        }
        throw new OneRosterRejectedException(failure);
    }

    private static Long number(String value) {
        try {
            return value == null ? null : Long.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
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
