package com.cleversync.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the simulators serve a request: it is counted; a client that went away is logged quietly; a
 * failure is logged by its type only (a message from deep in Jackson or a form parser could quote a
 * record or a secret) and, when nothing was sent yet, answered with the simulator's own 500.
 */
public abstract class SandboxHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxHandler.class);

    private final String name;
    private final AtomicLong requests;

    /** @param name the simulator, for its log lines, e.g. "OneRoster sandbox" */
    protected SandboxHandler(String name, AtomicLong requests) {
        this.name = name;
        this.requests = requests;
    }

    @Override
    public final void handle(HttpExchange exchange) {
        requests.incrementAndGet();
        try {
            respond(exchange);
        } catch (IOException e) {
            LOG.debug("{} client went away during {}: {}", name, exchange.getRequestURI().getRawPath(),
                    e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            LOG.warn("{} failed serving {}: {}", name, exchange.getRequestURI().getRawPath(), e.getClass().getName());
            if (exchange.getResponseCode() == -1) {
                try {
                    internalError(exchange);
                } catch (IOException | RuntimeException reportFailed) {
                    LOG.debug("{} could not report an error: {}", name, reportFailed.getClass().getSimpleName());
                }
            }
        } finally {
            exchange.close();
        }
    }

    /** Answers the request. */
    protected abstract void respond(HttpExchange exchange) throws IOException;

    /** Answers a request that failed before anything was sent, in the simulator's error format. */
    protected abstract void internalError(HttpExchange exchange) throws IOException;
}
