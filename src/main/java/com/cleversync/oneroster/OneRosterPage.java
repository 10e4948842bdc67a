package com.cleversync.oneroster;

import com.cleversync.source.JsonShape;
import com.cleversync.source.PageBytes;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a OneRoster collection: the envelope {@code {"<collection>": [{…}, …]}}, whose root key
 * is the collection's {@link OneRosterCollection#path() path} ({@code users}, {@code academicSessions},
 * …). Other top-level keys, such as the {@code statusInfoSet} a provider adds for warnings, are skipped.
 *
 * <p>Read as Clever's pages are: the body is read once into chunks and tokenized once, each record
 * parsed and handed to the caller's reader as soon as it is complete, its raw JSON cut out of the
 * body byte for byte as sent. The envelope is checked to its end before the page is returned, so a
 * truncated or malformed body fails as a whole and never passes for an empty or shorter page, which
 * with offset paging would end the list early.
 *
 * @param <T> what the reader makes of a record
 */
public final class OneRosterPage<T> implements Iterable<T> {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = MAPPER.getFactory();

    private final OneRosterCollection collection;
    private final List<T> items;
    private final int size;
    private final String lastId;

    private OneRosterPage(OneRosterCollection collection, List<T> items, int size, String lastId) {
        this.collection = collection;
        this.items = Collections.unmodifiableList(items);
        this.size = size;
        this.lastId = lastId;
    }

    /** The page with its records as parsed (what tests read). */
    public static OneRosterPage<OneRosterRecord> parse(OneRosterCollection collection, InputStream body) {
        return parse(collection, body, record -> record);
    }

    /**
     * @param body   the response body; read completely and closed
     * @param reader what to keep of each record, called in page order as the records are parsed; a
     *               null result keeps nothing of that record (it still counts in {@link #size()})
     * @throws InvalidOneRosterPageException when the body is not the collection's complete envelope: not
     *                                       JSON, truncated, its root not an object, the collection's key
     *                                       missing, not an array or there twice, or an element not an object
     */
    public static <T> OneRosterPage<T> parse(OneRosterCollection collection, InputStream body,
                                             Function<OneRosterRecord, T> reader) {
        PageBytes bytes;
        try (InputStream in = body) {
            bytes = PageBytes.read(in);
        } catch (IOException e) {
            throw new InvalidOneRosterPageException(collection, "the body could not be read (" + e.getMessage() + ")");
        }
        String key = collection.path();
        List<T> items = new ArrayList<>();
        int size = 0;
        String lastId = null;
        try (JsonParser p = JSON.createParser(bytes.stream())) {
            JsonToken root = p.nextToken();
            if (root != JsonToken.START_OBJECT) {
                throw new InvalidOneRosterPageException(collection, "the body is " + JsonShape.kind(root) + ", not an envelope object");
            }
            boolean sawList = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!key.equals(field)) {
                    p.skipChildren();
                    continue;
                }
                if (sawList) {
                    throw new InvalidOneRosterPageException(collection, "the envelope has \"" + key + "\" twice");
                }
                sawList = true;
                if (value != JsonToken.START_ARRAY) {
                    throw new InvalidOneRosterPageException(collection, "\"" + key + "\" is " + JsonShape.kind(value) + ", not an array");
                }
                JsonToken element;
                while ((element = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (element != JsonToken.START_OBJECT) {
                        throw new InvalidOneRosterPageException(collection,
                                "element " + size + " of \"" + key + "\" is " + JsonShape.kind(element) + ", not an object");
                    }
                    long start = p.currentTokenLocation().getByteOffset();
                    JsonNode data = MAPPER.readTree(p);
                    OneRosterRecord record = new OneRosterRecord(collection, data,
                            bytes.utf8(start, p.currentLocation().getByteOffset()));
                    size++;
                    if (record.sourcedId() != null) {
                        lastId = record.sourcedId();
                    }
                    T item = reader.apply(record);
                    if (item != null) {
                        items.add(item);
                    }
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new InvalidOneRosterPageException(collection, "the body does not end after the envelope");
            }
            if (!sawList) {
                throw new InvalidOneRosterPageException(collection, "the envelope has no \"" + key + "\" list");
            }
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the offending text, which may be a record's: only its place is told
            throw new InvalidOneRosterPageException(collection, "the JSON is malformed or truncated" + JsonShape.at(e.getLocation()));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading bytes already in memory does not fail
        }
        return new OneRosterPage<>(collection, items, size, lastId);
    }

    public OneRosterCollection collection() {
        return collection;
    }

    /**
     * What the reader made of the page's records, in page order; records it made null of are left out,
     * so this may hold fewer than {@link #size()}.
     */
    public List<T> items() {
        return items;
    }

    /**
     * How many records the page held, kept by the reader or not: with offset paging, a page holding
     * fewer records than asked for is the last one.
     */
    public int size() {
        return size;
    }

    /** The sourcedId of the page's last record with one, or null. */
    public String lastId() {
        return lastId;
    }

    @Override
    public Iterator<T> iterator() {
        return items.iterator();
    }
}
