package com.cleversync.sandbox.oneroster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.cleversync.sandbox.SandboxHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4): {@code POST} a form with {@code grant_type=client_credentials}
 * and the client's id and secret, either as HTTP Basic or as {@code client_id}/{@code client_secret} form fields,
 * since providers document both. Basic wins when a request carries both. Errors are OAuth's
 * {@code {"error": …}} objects, never OneRoster status payloads: this is the authorization server speaking.
 */
final class TokenEndpoint extends SandboxHandler {

    private static final String JSON_TYPE = "application/json; charset=utf-8";

    private final String path;
    private final byte[] clientId;
    private final byte[] clientSecret;
    private final AccessTokens tokens;
    private final ObjectMapper mapper;

    TokenEndpoint(OneRosterSandbox.Settings settings, AccessTokens tokens, ObjectMapper mapper, AtomicLong requests) {
        super("OneRoster sandbox token endpoint", requests);
        this.path = settings.tokenPath();
        this.clientId = settings.clientId().getBytes(StandardCharsets.UTF_8);
        this.clientSecret = settings.clientSecret().getBytes(StandardCharsets.UTF_8);
        this.tokens = tokens;
        this.mapper = mapper;
    }

    @Override
    protected void internalError(HttpExchange exchange) throws IOException {
        sendError(exchange, 500, "server_error");
    }

    @Override
    protected void respond(HttpExchange exchange) throws IOException {
        // the server hands this handler every path that merely starts with the token path
        if (!exchange.getRequestURI().getRawPath().equals(path)) {
            sendError(exchange, 404, "not_found");
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "POST");
            sendError(exchange, 405, "invalid_request");
            return;
        }
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String basic = exchange.getRequestHeaders().getFirst("Authorization");
        String[][] candidates = basic != null ? basicCredentials(basic)
                : new String[][] {{form.get("client_id"), form.get("client_secret")}};
        if (candidates == null || Arrays.stream(candidates).noneMatch(this::authentic)) {
            if (basic != null) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"oneroster\"");
            }
            sendError(exchange, 401, "invalid_client");
            return;
        }
        String grantType = form.get("grant_type");
        if (grantType == null) {
            sendError(exchange, 400, "invalid_request");
            return;
        }
        if (!grantType.equals("client_credentials")) {
            sendError(exchange, 400, "unsupported_grant_type");
            return;
        }
        ObjectNode answer = mapper.createObjectNode();
        answer.put("access_token", tokens.issue());
        answer.put("token_type", "bearer");
        answer.put("expires_in", tokens.lifetime().toSeconds());
        // every scope asked for is granted: the sandbox has no narrower roster to hand out
        String scope = form.get("scope");
        if (scope != null && !scope.isBlank()) {
            answer.put("scope", scope);
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, 200, mapper.writeValueAsBytes(answer));
    }

    private boolean authentic(String[] credentials) {
        return credentials[0] != null && credentials[1] != null
                && MessageDigest.isEqual(credentials[0].getBytes(StandardCharsets.UTF_8), clientId)
                && MessageDigest.isEqual(credentials[1].getBytes(StandardCharsets.UTF_8), clientSecret);
    }

    /**
     * The pairs a {@code Basic base64(id:secret)} header may mean, or null if malformed. RFC 6749 §2.3.1 has each
     * part form-encoded first, but many clients and providers skip that, so the pair is taken both as sent and
     * decoded: a secret with "+" or "%" in it works either way.
     */
    private static String[][] basicCredentials(String header) {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String[] asSent = {decoded.substring(0, colon), decoded.substring(colon + 1)};
        try {
            return new String[][] {asSent, {decode(asSent[0]), decode(asSent[1])}};
        } catch (IllegalArgumentException e) {
            return new String[][] {asSent};
        }
    }

    /** An {@code application/x-www-form-urlencoded} body; the first occurrence of a name wins. */
    private static Map<String, String> form(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            try {
                fields.putIfAbsent(decode(equals < 0 ? pair : pair.substring(0, equals)),
                        equals < 0 ? "" : decode(pair.substring(equals + 1)));
            } catch (IllegalArgumentException e) {
                // a malformed field is as good as absent: the request then fails as missing it
            }
        }
        return fields;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private void sendError(HttpExchange exchange, int status, String error) throws IOException {
        send(exchange, status, mapper.writeValueAsBytes(Map.of("error", error)));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
