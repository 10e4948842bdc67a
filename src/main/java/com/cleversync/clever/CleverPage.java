package com.cleversync.clever;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * One page of a Clever list: the envelope {@code {"data":[{"data":{…},"uri":…}],"links":[…]}}.
 *
 * <p>The page keeps only the response bytes. {@link #parse} reads the whole envelope once (so a
 * truncated or malformed body fails before any record is used, never passing for an empty page)
 * and remembers the next link; {@link #iterator()} then parses the records one at a time, so only
 * the bytes and the current record are in memory.
 */
public final class CleverPage implements Iterable<CleverRecord> {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = MAPPER.getFactory();

    private final CleverResource resource;
    private final PageBytes body;
    private final int size;
    private final String next;
    /** Id of the last record iterated so far (the page's last id once the records were read). */
    private volatile String lastId;

    private CleverPage(CleverResource resource, PageBytes body, int size, String next) {
        this.resource = resource;
        this.body = body;
        this.size = size;
        this.next = next;
    }

    /**
     * @param requested the relative URI this page was fetched from (to check that the next link advances)
     * @param response  the response body; read completely and closed
     * @throws InvalidPageException when the body is not a complete Clever envelope or its next link
     *                              would not advance
     */
    public static CleverPage parse(CleverResource resource, String requested, InputStream response) {
        PageBytes body;
        try (InputStream in = response) {
            body = PageBytes.read(in);
        } catch (IOException e) {
            throw new InvalidPageException(requested + ": response body could not be read (" + e.getMessage() + ")");
        }
        int size = 0;
        String next = null;
        try (JsonParser p = JSON.createParser(body.stream())) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "an envelope object");
            boolean sawData = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("data".equals(field)) {
                    expect(value, JsonToken.START_ARRAY, "a data array");
                    sawData = true;
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        size++;
                        p.skipChildren();
                    }
                } else if ("links".equals(field) && value == JsonToken.START_ARRAY) {
                    next = nextLink(p);
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new InvalidPageException(requested + ": body does not end after the envelope");
            }
            if (!sawData) {
                throw new InvalidPageException(requested + ": envelope has no data array");
            }
        } catch (JsonProcessingException e) {
            throw new InvalidPageException(requested + ": malformed or truncated JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (size == 0) {
            next = null; // an empty page ends the list, whatever its links say
        }
        if (next != null && !advances(requested, next)) {
            throw new InvalidPageException(requested + ": next link " + next + " does not advance the cursor");
        }
        return new CleverPage(resource, body, size, next);
    }

    public CleverResource resource() {
        return resource;
    }

    public int size() {
        return size;
    }

    /** Relative URI of the next page, or null on the last page. */
    public String next() {
        return next;
    }

    /** The id of the last record with an id, once {@link #iterator()} has run to the end. */
    public String lastId() {
        return lastId;
    }

    /** Parses the records lazily, in page order (what the streaming split iterates). */
    @Override
    public Iterator<CleverRecord> iterator() {
        try {
            JsonParser p = JSON.createParser(body.stream());
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME && !"data".equals(p.currentName())) {
                p.nextToken();
                p.skipChildren();
            }
            p.nextToken(); // START_ARRAY, checked by parse()
            return new RecordIterator(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final class RecordIterator implements Iterator<CleverRecord> {
        private final JsonParser parser;
        private CleverRecord next;

        RecordIterator(JsonParser parser) throws IOException {
            this.parser = parser;
            advance();
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public CleverRecord next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            CleverRecord current = next;
            try {
                advance();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return current;
        }

        private void advance() throws IOException {
            next = null;
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                parser.close();
                return;
            }
            // one wrapper {"data":{…},"uri":…}
            long wrapperStart = parser.currentTokenLocation().getByteOffset();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean isData = "data".equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (isData && value == JsonToken.START_OBJECT) {
                    next = resource == CleverResource.EVENTS ? event() : record();
                    if (next.id() != null) {
                        lastId = next.id();
                    }
                } else {
                    parser.skipChildren();
                }
            }
            if (next == null) {
                // a wrapper without a data object still counts: it becomes a record without an id
                // (a reject) and keeps the wrapper as its raw JSON
                next = new CleverRecord(resource, MAPPER.createObjectNode(),
                        body.utf8(wrapperStart, parser.currentLocation().getByteOffset()));
            }
        }

        /** A list's record: its data object parsed, and kept as sent. */
        private CleverRecord record() throws IOException {
            long start = parser.currentTokenLocation().getByteOffset();
            JsonNode data = MAPPER.readTree(parser);
            return new CleverRecord(resource, data, body.utf8(start, parser.currentLocation().getByteOffset()));
        }

        /**
         * An event of the feed, {@code {id, type, created, data: {object, previous_attributes?}}}: its
         * object is kept as sent, so it is never serialized again; previous_attributes is skipped.
         */
        private CleverRecord event() throws IOException {
            ObjectNode event = MAPPER.createObjectNode();
            String object = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("data".equals(field) && value == JsonToken.START_OBJECT) {
                    ObjectNode data = event.putObject("data");
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        boolean isObject = "object".equals(parser.currentName());
                        if (parser.nextToken() == JsonToken.START_OBJECT && isObject) {
                            long start = parser.currentTokenLocation().getByteOffset();
                            data.set("object", MAPPER.readTree(parser));
                            object = body.utf8(start, parser.currentLocation().getByteOffset());
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else {
                    event.set(field, MAPPER.readTree(parser));
                }
            }
            return new CleverRecord(resource, event, object);
        }
    }

    private static String nextLink(JsonParser p) throws IOException {
        String next = null;
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String rel = null;
            String uri = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if ("rel".equals(name)) {
                    rel = p.getValueAsString();
                } else if ("uri".equals(name)) {
                    uri = p.getValueAsString();
                } else {
                    p.skipChildren();
                }
            }
            if ("next".equals(rel) && uri != null && !uri.isBlank()) {
                next = uri;
            }
        }
        return next;
    }

    /** A next link advances when it carries a {@code starting_after} cursor beyond the request's. */
    private static boolean advances(String requested, String next) {
        String before = queryParam(requested, "starting_after");
        String after = queryParam(next, "starting_after");
        return after != null && (before == null || after.compareTo(before) > 0);
    }

    static String queryParam(String uri, String name) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : uri.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void expect(JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) {
            throw new InvalidPageException("expected " + what + " but found " + actual);
        }
    }
}
