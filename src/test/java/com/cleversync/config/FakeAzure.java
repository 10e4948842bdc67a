package com.cleversync.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A local stand-in for the two Azure services that Camel's {@code azure:} properties function talks
 * to, speaking their REST APIs over TLS on 127.0.0.1:443: Microsoft Entra ID (instance discovery and
 * the client-credentials token endpoint, as MSAL calls them) and one Key Vault's secrets
 * ({@code GET /secrets/{name}}, answering an unauthenticated request with the bearer challenge the
 * Key Vault client expects). The real host names resolve to it through {@code /etc/hosts} (set up
 * by {@code .ci/run}); its certificate is trusted through the test trust store (see the pom).
 */
final class FakeAzure implements AutoCloseable {
    static final String VAULT = "cleversync-test";
    static final String VAULT_HOST = VAULT + ".vault.azure.net";
    static final String LOGIN_HOST = "login.microsoftonline.com";
    static final String TENANT = "72f988bf-0000-4000-8000-00000000c1e5";
    static final String CLIENT_ID = "3b1f5c2e-0000-4000-8000-00000000c1e5";
    static final String CLIENT_SECRET = "Canary-Vault-Client-Secret-42";
    private static final String ACCESS_TOKEN = "fake-access-token-for-" + VAULT;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpsServer server;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    /** "GET /secrets/name" and "POST token" lines, in order. */
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private FakeAzure(HttpsServer server) {
        this.server = server;
    }

    /** Fails in CI, skips elsewhere, when the Azure host names do not resolve to this machine. */
    static void requireHostsEntries() {
        boolean local;
        try {
            local = InetAddress.getByName(VAULT_HOST).isLoopbackAddress()
                    && InetAddress.getByName(LOGIN_HOST).isLoopbackAddress();
        } catch (IOException e) {
            local = false;
        }
        String entry = "127.0.0.1 " + VAULT_HOST + " " + LOGIN_HOST;
        if (!local && "true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("CI=true but /etc/hosts lacks '" + entry + "' (.ci/run adds it)");
        }
        Assumptions.assumeTrue(local, "Key Vault tests skipped: add '" + entry + "' to /etc/hosts (as root; .ci/run does)");
    }

    static FakeAzure start() {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = FakeAzure.class.getResourceAsStream("/fake-azure/server.p12")) {
                keys.load(in, "fake-azure".toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "fake-azure".toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 443), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            FakeAzure azure = new FakeAzure(server);
            server.createContext("/", azure::handle);
            server.start();
            return azure;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the fake Azure on 127.0.0.1:443 (root needed)", e);
        }
    }

    void secret(String name, String value) {
        secrets.put(name, value);
    }

    List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String host = String.valueOf(exchange.getRequestHeaders().getFirst("Host")).replaceAll(":\\d+$", "");
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (host.equals(LOGIN_HOST)) {
                login(exchange, path, new String(body, StandardCharsets.UTF_8));
            } else if (host.equals(VAULT_HOST)) {
                vault(exchange, path);
            } else {
                send(exchange, 404, JSON.createObjectNode().put("error", "unknown host " + host));
            }
        }
    }

    /** Entra ID: instance discovery, OpenID metadata and the client-credentials token endpoint. */
    private void login(HttpExchange exchange, String path, String form) throws IOException {
        if (path.endsWith("/discovery/instance")) {
            ObjectNode discovery = JSON.createObjectNode()
                    .put("tenant_discovery_endpoint", "https://" + LOGIN_HOST + "/" + TENANT + "/v2.0/.well-known/openid-configuration")
                    .put("api-version", "1.1");
            ObjectNode metadata = discovery.putArray("metadata").addObject()
                    .put("preferred_network", LOGIN_HOST).put("preferred_cache", "login.windows.net");
            metadata.putArray("aliases").add(LOGIN_HOST).add("login.windows.net").add("login.microsoft.com");
            send(exchange, 200, discovery);
        } else if (path.endsWith("/.well-known/openid-configuration")) {
            send(exchange, 200, JSON.createObjectNode()
                    .put("token_endpoint", "https://" + LOGIN_HOST + "/" + TENANT + "/oauth2/v2.0/token")
                    .put("authorization_endpoint", "https://" + LOGIN_HOST + "/" + TENANT + "/oauth2/v2.0/authorize")
                    .put("issuer", "https://" + LOGIN_HOST + "/" + TENANT + "/v2.0"));
        } else if (path.equals("/" + TENANT + "/oauth2/v2.0/token")) {
            Map<String, String> fields = formFields(form);
            requests.add("POST token " + fields.get("scope"));
            if (CLIENT_ID.equals(fields.get("client_id")) && CLIENT_SECRET.equals(fields.get("client_secret"))
                    && "client_credentials".equals(fields.get("grant_type"))) {
                send(exchange, 200, JSON.createObjectNode().put("token_type", "Bearer").put("expires_in", 3599)
                        .put("ext_expires_in", 3599).put("access_token", ACCESS_TOKEN));
            } else {
                ObjectNode refused = JSON.createObjectNode().put("error", "invalid_client")
                        .put("error_description", "AADSTS7000215: Invalid client secret provided.");
                refused.putArray("error_codes").add(7000215);
                send(exchange, 401, refused);
            }
        } else {
            send(exchange, 404, JSON.createObjectNode().put("error", "not_found"));
        }
    }

    /** Key Vault: the bearer challenge, then {@code GET /secrets/{name}[/{version}]}. */
    private void vault(HttpExchange exchange, String path) throws IOException {
        if (!("Bearer " + ACCESS_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer authorization=\"https://" + LOGIN_HOST + "/"
                    + TENANT + "\", resource=\"https://vault.azure.net\"");
            send(exchange, 401, JSON.createObjectNode().putObject("error").put("code", "Unauthorized")
                    .put("message", "AKV10000: Request is missing a Bearer or PoP token."));
            return;
        }
        String[] parts = path.split("/");
        if (parts.length < 3 || !parts[1].equals("secrets") || !"GET".equals(exchange.getRequestMethod())) {
            send(exchange, 400, JSON.createObjectNode().putObject("error").put("code", "BadParameter"));
            return;
        }
        String name = parts[2];
        requests.add("GET /secrets/" + name);
        String value = secrets.get(name);
        if (value == null) {
            ObjectNode missing = JSON.createObjectNode();
            missing.putObject("error").put("code", "SecretNotFound")
                    .put("message", "A secret with (name/id) " + name + " was not found in this key vault.");
            send(exchange, 404, missing);
            return;
        }
        ObjectNode secret = JSON.createObjectNode().put("value", value)
                .put("id", "https://" + VAULT_HOST + "/secrets/" + name + "/4387e9f3d6e14c459867679a90fd0f79");
        secret.putObject("attributes").put("enabled", true).put("created", 1764633600L).put("updated", 1764633600L)
                .put("recoveryLevel", "Recoverable+Purgeable");
        send(exchange, 200, secret);
    }

    private static Map<String, String> formFields(String form) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
