package com.cleversync.ops;

import com.cleversync.config.CleverSyncProperties;
import com.cleversync.config.InvalidConfigurationException;
import com.cleversync.sync.SyncConfiguration;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's webhook: one POST of a JSON message per call. Its URL is a secret (Teams and Slack
 * put the credential in it), so it is never logged, never shown in a configuration error and never
 * made a Camel endpoint URI (JMX and Hawtio list those). Every HTTP client logs a request's URI at
 * DEBUG; sending with the JDK's HttpClient rather than camel-http keeps those loggers apart from
 * Clever's requests, so they can be held at INFO (application.yaml) without losing Clever's.
 */
final class Webhook {
    static final String KEY = "cleversync.notifications.webhook-url";
    private static final String PREFIX = "cleversync.notifications.";
    private static final Logger LOG = LoggerFactory.getLogger(Webhook.class);

    private final URI url;
    private final Duration timeout;
    private final HttpClient client;

    private Webhook(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        // HTTP/1.1: a plain-http receiver is not asked to upgrade to HTTP/2; redirects are answers, not followed
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The configured webhook, placeholders resolved and every value checked; null when no URL is configured.
     *
     * @throws InvalidConfigurationException naming the key (never the URL) of a value it cannot work with
     */
    static Webhook configured(CleverSyncProperties.Notifications notifications, CamelContext camel) {
        if (notifications.webhookUrl() == null || notifications.webhookUrl().isBlank()) {
            return null;
        }
        CleverSyncProperties.Retry retry = notifications.retry();
        if (retry.attempts() < 1) {
            throw new InvalidConfigurationException(PREFIX + "retry.attempts", "must be at least 1, was " + retry.attempts());
        }
        if (retry.initialDelay().isNegative()) {
            throw new InvalidConfigurationException(PREFIX + "retry.initial-delay", "must not be negative");
        }
        if (retry.maxDelay().compareTo(retry.initialDelay()) < 0) {
            throw new InvalidConfigurationException(PREFIX + "retry.max-delay", "must not be shorter than initial-delay");
        }
        if (notifications.timeout().toMillis() < 1) {
            throw new InvalidConfigurationException(PREFIX + "timeout", "must be positive");
        }
        URI url = url(SyncConfiguration.resolve(camel, KEY, notifications.webhookUrl()));
        if (url.getScheme().equalsIgnoreCase("http") && !SyncConfiguration.isLoopback(url.getHost())) {
            LOG.warn("{} uses plain http: the URL, which carries the webhook's credential, and every message travel"
                    + " unencrypted; use https", KEY);
        }
        return new Webhook(url, notifications.timeout());
    }

    private static URI url(String value) {
        InvalidConfigurationException invalid = new InvalidConfigurationException(KEY, "must be an http or https URL"
                + " (such as https://hooks.slack.com/services/…); the value is not shown: a webhook URL is a secret");
        URI url;
        try {
            url = new URI(value == null ? "" : value.trim());
        } catch (URISyntaxException e) {
            throw invalid;
        }
        boolean http = "http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme());
        if (!http || url.getHost() == null) {
            throw invalid;
        }
        return url;
    }

    /** POSTs the message; an answer other than 2xx is a failure, to be retried. */
    void post(byte[] json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status < 200 || status > 299) {
            throw new Refused(status);
        }
    }

    /**
     * A failure as the log may show it: the receiver's HTTP status, or the exception's type. Never a
     * message: an I/O exception's, or a receiver's error page, may quote the URL.
     */
    static String describe(Throwable failure) {
        return failure instanceof Refused refused ? "answered HTTP " + refused.status
                : failure == null ? "unknown failure" : failure.getClass().getSimpleName();
    }

    /** The receiver answered, but not with 2xx. */
    static final class Refused extends IOException {
        private final int status;

        Refused(int status) {
            super("the webhook answered HTTP " + status);
            this.status = status;
        }
    }
}
