package com.cleversync.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local webhook receiver on loopback: records every request and answers 200, or the statuses it
 * is told to answer first; it can hold the next request until released, and go down and come back
 * on the same port.
 */
final class WebhookReceiver implements AutoCloseable {
    /** A request as received, and what it was answered. */
    record Request(String method, String path, String contentType, String body, int answered) {}

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Queue<Integer> answers = new ArrayDeque<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final int port;
    private volatile CountDownLatch hold;
    private HttpServer server;

    WebhookReceiver() throws IOException {
        server = listen(0);
        port = server.getAddress().getPort();
    }

    private HttpServer listen(int on) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), on), 0);
        http.createContext("/", this::receive);
        http.setExecutor(threads); // a held request must not keep the next one waiting
        http.start();
        return http;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Forgets what it received and answers 200 to everything, up again if it was down. */
    synchronized void reset() throws IOException {
        requests.clear();
        answers.clear();
        release();
        if (server == null) {
            server = listen(port);
        }
    }

    /** The next requests are answered with these statuses, in order; 200 after them. */
    synchronized void answerFirst(int... statuses) {
        for (int status : statuses) {
            answers.add(status);
        }
    }

    /** The next request is not answered before {@link #release()}. */
    void holdNext() {
        hold = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch held = hold;
        if (held != null) {
            held.countDown();
        }
    }

    /** Stops listening: connections are refused until {@link #reset()}. */
    synchronized void goDown() {
        server.stop(0);
        server = null;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void receive(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        CountDownLatch held = hold;
        if (held != null) {
            hold = null;
            await(held);
        }
        int status;
        synchronized (this) {
            status = answers.isEmpty() ? 200 : answers.remove();
        }
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Content-Type"), body, status));
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private static void await(CountDownLatch held) {
        try {
            held.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        release();
        if (server != null) {
            server.stop(0);
        }
        threads.shutdownNow();
    }
}
