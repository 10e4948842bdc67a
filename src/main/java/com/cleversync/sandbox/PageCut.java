package com.cleversync.sandbox;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * Where to cut a rendered list page for a dropped or truncated response: inside its records, so that what the
 * client receives is never valid JSON and never a shorter page that merely looks complete. Both simulators' pages
 * are one JSON object whose first array-valued field holds the records (Clever's {@code data}, OneRoster's
 * {@code users}, {@code classes}, …), or, as Aeries answers, the array of records itself.
 */
public final class PageCut {

    private PageCut() {
    }

    /**
     * How many bytes of {@code page} to send: anywhere from just after the {@code [} of its records array to just
     * before the {@code ]}, as {@code fraction} (in [0, 1)) says. The page is parsed rather than searched, so
     * record contents cannot be mistaken for structure.
     */
    public static int insideRecords(JsonFactory json, byte[] page, double fraction) throws IOException {
        try (JsonParser parser = json.createParser(page)) {
            if (parser.nextToken() == JsonToken.START_ARRAY) {
                return cut(parser, fraction);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_ARRAY) {
                    return cut(parser, fraction);
                }
                parser.skipChildren();
            }
        }
        throw new IllegalStateException("a page without a records array");
    }

    /** With the parser on an array's {@code [}: a cut between just after it and just before its {@code ]}. */
    private static int cut(JsonParser parser, double fraction) throws IOException {
        long open = parser.currentTokenLocation().getByteOffset();
        parser.skipChildren();
        long close = parser.currentTokenLocation().getByteOffset();
        return Math.toIntExact(open + 1 + (long) (fraction * (close - open)));
    }
}
