package com.cleversync.sync;

import com.cleversync.config.CleverSyncProperties;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;

/**
 * The resilience every source's routes share: a page retried with backoff and jitter, and a page
 * route that takes a permit, sends one request inside the district's circuit breaker and waits out
 * a 429 before asking again. What the answers mean is the source's conversation's.
 */
final class SourceRoutes {

    /**
     * How a source's page route talks to it.
     *
     * @param conversation the bean with {@code request} (sets the headers, the token last) and {@code answer}
     * @param permit       the endpoint that hands out the source's client-side rate-limit permits
     * @param endpoint     the HTTP endpoint the request's {@code CamelHttpUri} header overrides
     * @param rateLimited  the variable the answer sets to true after a 429
     * @param waitMillis   the variable the answer sets to how long to wait before asking again
     * @param secretHeader the header the request carries the credential in ({@code Authorization})
     */
    record Page(Object conversation, String permit, String endpoint, String rateLimited, String waitMillis,
                String secretHeader) {}

    private SourceRoutes() {}

    /** A route whose page is retried on the given failures, the delay doubling with jitter up to the maximum. */
    @SafeVarargs
    static ProcessorDefinition<?> withPageRetries(RouteDefinition route, CleverSyncProperties.Retry retry,
                                                  Class<? extends Throwable>... retried) {
        return route.onException(retried)
                .maximumRedeliveries(retry.attempts() - 1)
                .redeliveryDelay(retry.initialDelay().toMillis())
                .useExponentialBackOff().backOffMultiplier(2)
                .maximumRedeliveryDelay(retry.maxDelay().toMillis())
                .useCollisionAvoidance()
                .retryAttemptedLogLevel(LoggingLevel.WARN).logRetryStackTrace(false)
            .end();
    }

    /**
     * Fetches and reads one page. The district's circuit breaker wraps exactly one request and the
     * reading of its answer: it runs them synchronously on a copy of the exchange, so waiting out a
     * 429 and waiting for a permit happen outside it.
     */
    static void pageRoute(RouteBuilder routes, String routeId, String breakerId, Page page,
                          CleverSyncProperties.CircuitBreaker breaker) {
        routes.from("direct:" + routeId).routeId(routeId)
            .errorHandler(routes.noErrorHandler()) // the list route retries the whole page
            .setVariable(page.waitMillis(), routes.constant(0L))
            .setVariable(page.rateLimited(), routes.constant(true))
            .loopDoWhile(routes.variable(page.rateLimited()).isEqualTo(true)).breakOnShutdown()
                .delay(routes.variable(page.waitMillis())).syncDelayed()
                // only an observed 429 repeats the loop; a failure ends it and goes to the list route
                .setVariable(page.rateLimited(), routes.constant(false))
                .removeHeader(page.secretHeader()) // also after a failed request: binding logs what it binds at TRACE
                .bean(page.conversation(), "request")
                .to(page.permit())
                .circuitBreaker().id(breakerId)
                    .resilience4jConfiguration()
                        .failureRateThreshold(breaker.failureRateThreshold())
                        .slidingWindowSize(breaker.slidingWindowSize())
                        .minimumNumberOfCalls(breaker.minimumNumberOfCalls())
                        .waitDurationInOpenState((int) breaker.waitInOpenState().toSeconds())
                        .permittedNumberOfCallsInHalfOpenState(breaker.halfOpenCalls())
                        .automaticTransitionFromOpenToHalfOpenEnabled(true)
                        .throwExceptionWhenHalfOpenOrOpenState(true)
                    .end()
                    .to(page.endpoint() + "?throwExceptionOnFailure=false&disableStreamCache=true")
                    .removeHeader(page.secretHeader()) // the secret must never reach a log, a retry's copy or the batches
                    .bean(page.conversation(), "answer")
                    .removeHeaders("*", "Camel*") // the source's response headers do not travel on with the page
                .end()
            .end();
    }
}
