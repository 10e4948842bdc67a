package com.cleversync.aeries;

import com.cleversync.source.RateLimitWait;
import com.cleversync.source.Secret;
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
 * One request to a district's Aeries and what its answer means, for the district's Aeries page route:
 * the request with the certificate in {@code AERIES-CERT}; a 200 as the school's {@link AeriesAbsenceCodes}
 * or an {@link AeriesAttendancePage}; a 429 (not documented by Aeries, sent by proxies) as a wait before
 * asking again; a 401 or 403 as the certificate read again from configuration and the request repeated,
 * or a refusal; 5xx as unavailable (the request is retried); anything else as a refusal. A failed
 * answer's body is read for Aeries' {@code Message} and then dropped. As for Clever, the route keeps the
 * permit, the circuit breaker, the retries and removing the certificate's header as soon as the request is
 * sent (no method here binds the headers once it is set).
 */
public final class AeriesConversation {
    /** Variable: the {@link AeriesRequest} to send. */
    public static final String REQUEST = "aeriesRequest";
    /** Variable: true after a 429, so the route asks again after {@link #WAIT} milliseconds. */
    public static final String RATE_LIMITED = "aeriesRateLimited";
    /** Variable: milliseconds to wait before asking again (0 unless rate limited). */
    public static final String WAIT = "aeriesRateLimitWait";
    /** Exchange property: the district's {@link AeriesApi}. */
    public static final String API = "aeriesApi";
    /** Exchange property: the district's certificate ({@link Secret}). */
    public static final String CERTIFICATE = "aeriesCertificate";
    /** Exchange property: the district's key (for logs, metrics and its rate limit). */
    public static final String DISTRICT = "aeriesDistrict";
    /** Header: whose client-side limit a request counts against (the district's key). */
    public static final String PERMIT_KEY = "CleverSyncAeriesPermitKey";
    /** Header: that district's requests per window. */
    public static final String PERMITS = "CleverSyncAeriesPermits";

    private static final Logger LOG = LoggerFactory.getLogger(AeriesConversation.class);

    /** What operations learn from the conversation (Aeries' answers, time waited for a rate limit). */
    public interface Observer {
        void answered(String district, int status);

        void waitedOutRateLimit(String district, Duration wait);
    }

    private final Duration rateLimitFallback;
    private final Observer observer;

    public AeriesConversation(Duration rateLimitFallback, Observer observer) {
        this.rateLimitFallback = rateLimitFallback;
        this.observer = observer;
    }

    /** The request: the previous answer's headers go (Camel's own stay: they count the redeliveries). */
    public void request(@Variable(REQUEST) AeriesRequest request, @ExchangeProperty(API) AeriesApi api,
                        @ExchangeProperty(CERTIFICATE) Secret certificate, @ExchangeProperty(DISTRICT) String district,
                        @Headers Map<String, Object> headers) {
        headers.keySet().removeIf(name -> !name.startsWith("Camel"));
        headers.put(Exchange.HTTP_METHOD, "GET");
        headers.put(Exchange.HTTP_URI, request.uri(api.baseUrl()).toString());
        headers.put("Accept", AeriesRequest.ACCEPT);
        headers.put(AeriesRequest.CERTIFICATE_HEADER, certificate.current());
        headers.put(PERMIT_KEY, district);
        headers.put(PERMITS, api.requestsPerMinute());
    }

    /**
     * The answer: the school's codes or its attendance, or null after a 429 (with {@link #RATE_LIMITED} and
     * {@link #WAIT} set); otherwise a failure that says what to do.
     *
     * @throws AeriesUnavailableException   5xx, or a refused certificate that has since been rotated: ask again
     * @throws InvalidAeriesAnswerException a 200 whose body is not what was asked for: ask again
     * @throws AeriesRejectedException      anything else: the request cannot be answered
     */
    public Object answer(@Header(Exchange.HTTP_RESPONSE_CODE) int status, @Body InputStream body,
                         @Header("Retry-After") String retryAfter, @Variable(REQUEST) AeriesRequest request,
                         @ExchangeProperty(CERTIFICATE) Secret certificate, @ExchangeProperty(DISTRICT) String district,
                         @Variables Map<String, Object> variables) {
        observer.answered(district, status);
        variables.put(RATE_LIMITED, status == 429);
        variables.put(WAIT, 0L);
        if (status == 200) {
            return request.start() == null ? AeriesAbsenceCodes.parse(body) : AeriesAttendancePage.parse(body);
        }
        String text = read(body);
        if (status == 429) {
            Duration wait = RateLimitWait.after429(null, retryAfter, rateLimitFallback, Instant.now());
            variables.put(WAIT, wait.toMillis());
            observer.waitedOutRateLimit(district, wait);
            LOG.info("district {}: Aeries answered 429; waiting {} ms", district, wait.toMillis());
            return null;
        }
        RuntimeException failure = request.failure(status, text);
        if ((status == 401 || status == 403) && certificate.reload()) {
            throw new AeriesUnavailableException(failure.getMessage()
                    + "; the certificate was rotated, so the request is sent again with the new one");
        }
        throw failure;
    }

    /** A failed answer's body, for Aeries' Message (at most 64 KB; the rest is dropped). */
    private static String read(InputStream body) {
        if (body == null) {
            return null;
        }
        try (body) {
            byte[] start = body.readNBytes(65_536);
            body.transferTo(OutputStream.nullOutputStream());
            return new String(start, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null; // the connection is discarded; the status says enough
        }
    }
}
