package com.cleversync.sandbox;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Writes Clever response envelopes straight to the response body with a streaming generator, producing records
 * as it goes: a 10,000-record page never exists in memory as a tree or a string, only one record at a time.
 */
final class PageWriter {

    private final ObjectMapper mapper;

    PageWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Writes one page of a collection.
     *
     * @param collection the collection's path, e.g. {@code /v3.0/users}, used for record and link URIs
     * @param filter     query parameters every link keeps, e.g. {@code role=student}, or empty
     */
    void writePage(OutputStream body, RecordSource source, PageRequest page, String collection, String filter)
            throws IOException {
        String before = page.endingBefore();
        RecordCursor cursor;
        if (before == null) {
            cursor = source.ascending(page.startingAfter(), false);
        } else {
            String start = firstIdOfPageBefore(source, before, page.limit());
            cursor = start == null ? null : source.ascending(start, true);
        }
        try (JsonGenerator json = mapper.createGenerator(body, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeArrayFieldStart("data");
            String firstId = null;
            String lastId = null;
            int written = 0;
            while (cursor != null && written < page.limit() && cursor.hasNext()
                    && (before == null || cursor.peek().id().compareTo(before) < 0)) {
                RecordEntry entry = cursor.next();
                json.writeStartObject();
                json.writeFieldName("data");
                json.writeTree(entry.record());
                json.writeStringField("uri", collection + "/" + pathSegment(entry.id()));
                json.writeEndObject();
                firstId = firstId == null ? entry.id() : firstId;
                lastId = entry.id();
                written++;
            }
            json.writeEndArray();

            json.writeArrayFieldStart("links");
            writeLink(json, "self", listUri(collection, filter, page.limit(), page.cursorName(), page.cursorValue()));
            // like Clever, offer "prev" whenever the client paged with a cursor, even if nothing lies before
            if (page.cursorName() != null && firstId != null) {
                writeLink(json, "prev", listUri(collection, filter, page.limit(), "ending_before", firstId));
            }
            // the look-ahead costs one id, not a record; an exactly full last page gets no "next"
            if (lastId != null && cursor.hasNext()) {
                writeLink(json, "next", listUri(collection, filter, page.limit(), "starting_after", lastId));
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    /** Writes a single record: {@code {"data": {...}, "links": [{"rel": "self", ...}]}}. */
    void writeRecord(OutputStream body, RecordEntry entry, String collection) throws IOException {
        try (JsonGenerator json = mapper.createGenerator(body, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeFieldName("data");
            json.writeTree(entry.record());
            json.writeArrayFieldStart("links");
            writeLink(json, "self", collection + "/" + pathSegment(entry.id()));
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    /**
     * The smallest id of the {@code limit} records just before {@code before}, found by walking ids backwards
     * (records are not built); the page is then written forwards from there, so it stays in ascending order.
     */
    private static String firstIdOfPageBefore(RecordSource source, String before, int limit) {
        RecordCursor backwards = source.descending(before);
        String first = null;
        for (int i = 0; i < limit && backwards.hasNext(); i++) {
            first = backwards.next().id();
        }
        return first;
    }

    private static void writeLink(JsonGenerator json, String rel, String uri) throws IOException {
        json.writeStartObject();
        json.writeStringField("rel", rel);
        json.writeStringField("uri", uri);
        json.writeEndObject();
    }

    /** Clever's links are relative: path and query only. */
    private static String listUri(String collection, String filter, int limit, String cursorName, String cursorValue) {
        StringBuilder uri = new StringBuilder(collection).append('?');
        if (!filter.isEmpty()) {
            uri.append(filter).append('&');
        }
        uri.append("limit=").append(limit);
        if (cursorName != null) {
            uri.append('&').append(cursorName).append('=').append(URLEncoder.encode(cursorValue, StandardCharsets.UTF_8));
        }
        return uri.toString();
    }

    /** Generated ids are plain hex and pass through; ids added by tests may need escaping. */
    private static String pathSegment(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~';
            if (!unreserved) {
                return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
            }
        }
        return id;
    }
}
