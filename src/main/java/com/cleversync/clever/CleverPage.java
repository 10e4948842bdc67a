package com.cleversync.clever;

import com.cleversync.source.PageBytes;
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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a Clever list: the envelope {@code {"data":[{"data":{…},"uri":…}],"links":[…]}}, or for
 * v3.1 attendance {@code {"data":[{…}],"links":[…]}} (bare records).
 *
 * <p>{@link #parse} reads the body once into chunks and tokenizes it once: each record is parsed
 * and handed to the caller's reader as soon as it is complete (a list's record becomes its row, an
 * event its changes), so only the bytes and what the reader keeps are in memory, never a page of
 * parsed JSON trees. The envelope is checked to its end before the page is returned, so a truncated
 * or malformed body fails as a whole and never passes for an empty or shorter page.
 *
 * @param <T> what the reader makes of a record
 */
public final class CleverPage<T> implements Iterable<T> {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = MAPPER.getFactory();

    private final CleverResource resource;
    private final List<T> items;
    private final String next;
    private final String lastId;

    private CleverPage(CleverResource resource, List<T> items, String next, String lastId) {
        this.resource = resource;
        this.items = items;
        this.next = next;
        this.lastId = lastId;
    }

    /** The page with its records as parsed (what tests and benchmarks read). */
    public static CleverPage<CleverRecord> parse(CleverResource resource, String requested, InputStream response) {
        return parse(resource, requested, response, record -> record);
    }

    /**
     * @param requested the relative URI this page was fetched from (to check that the next link advances)
     * @param response  the response body; read completely and closed
     * @param reader    what to keep of each record, called in page order as the records are parsed
     * @throws InvalidPageException when the body is not a complete Clever envelope or its next link
     *                              would not advance
     */
    public static <T> CleverPage<T> parse(CleverResource resource, String requested, InputStream response,
                                          Function<CleverRecord, T> reader) {
        PageBytes body;
        try (InputStream in = response) {
            body = PageBytes.read(in);
        } catch (IOException e) {
            throw new InvalidPageException(requested + ": response body could not be read (" + e.getMessage() + ")");
        }
        List<T> items = new ArrayList<>();
        String lastId = null;
        String next = null;
        try (JsonParser p = JSON.createParser(body.stream())) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "an envelope object");
            boolean sawData = false;
            Records records = new Records(resource, body, p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("data".equals(field)) {
                    expect(value, JsonToken.START_ARRAY, "a data array");
                    sawData = true;
                    CleverRecord record;
                    while ((record = records.next()) != null) {
                        if (record.id() != null) {
                            lastId = record.id();
                        }
                        items.add(reader.apply(record));
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
        if (items.isEmpty()) {
            next = null; // an empty page ends the list, whatever its links say
        }
        if (next != null && !advances(resource, requested, next)) {
            throw new InvalidPageException(requested + ": next link " + next + " does not advance the cursor");
        }
        return new CleverPage<>(resource, items, next, lastId);
    }

    public CleverResource resource() {
        return resource;
    }

    public int size() {
        return items.size();
    }

    /** What the reader made of each record, in page order. */
    public List<T> items() {
        return items;
    }

    /** Relative URI of the next page, or null on the last page. */
    public String next() {
        return next;
    }

    /** The id of the page's last record with an id, or null. */
    public String lastId() {
        return lastId;
    }

    @Override
    public Iterator<T> iterator() {
        return items.iterator();
    }

    /** The records of the data array, one wrapper {@code {"data":{…},"uri":…}} at a time. */
    private static final class Records {
        private final CleverResource resource;
        private final PageBytes body;
        private final JsonParser parser;

        Records(CleverResource resource, PageBytes body, JsonParser parser) {
            this.resource = resource;
            this.body = body;
            this.parser = parser;
        }

        /** The next record, or null at the end of the array. */
        CleverRecord next() throws IOException {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            if (resource == CleverResource.ATTENDANCE) {
                return record(); // v3.1 attendance: bare records, not wrapped in {"data": …}
            }
            long wrapperStart = parser.currentTokenLocation().getByteOffset();
            CleverRecord record = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean isData = "data".equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (isData && value == JsonToken.START_OBJECT) {
                    record = resource == CleverResource.EVENTS ? event() : record();
                } else {
                    parser.skipChildren();
                }
            }
            if (record == null) {
                // a wrapper without a data object still counts: it becomes a record without an id
                // (a reject) and keeps the wrapper as its raw JSON
                record = new CleverRecord(resource, MAPPER.createObjectNode(),
                        body.utf8(wrapperStart, parser.currentLocation().getByteOffset()));
            }
            return record;
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

    /**
     * A next link advances when it carries a {@code starting_after} cursor beyond the request's (a record
     * id); attendance's cursor is opaque, so there it only has to differ.
     */
    private static boolean advances(CleverResource resource, String requested, String next) {
        String before = queryParam(requested, "starting_after");
        String after = queryParam(next, "starting_after");
        if (resource == CleverResource.ATTENDANCE) {
            return after != null && !after.equals(before);
        }
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
