package com.cleversync.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A body read into chunks gives back exactly its bytes, and the text between any two offsets:
 * within one chunk, across chunks, with a multi-byte character cut by a chunk's end, read from a
 * stream that hands out only a few bytes per read (as a socket does).
 */
class PageBytesTest {
    private static final int CHUNK = 256 * 1024;

    @Test
    void anEmptyBodyHasNoBytes() throws IOException {
        PageBytes page = PageBytes.read(InputStream.nullInputStream());

        assertThat(page.stream().readAllBytes()).isEmpty();
    }

    @Test
    void aBodyIsGivenBackWholeWhateverItsSizeAgainstTheChunks() throws IOException {
        for (int size : new int[] {1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17}) {
            byte[] body = body(size);

            PageBytes page = PageBytes.read(trickling(body));

            assertThat(page.stream().readAllBytes()).as("%d bytes", size).isEqualTo(body);
        }
    }

    @Test
    void textIsCutByByteOffsetsWithinAndAcrossChunks() throws IOException {
        // "é" is two bytes in UTF-8: placed so that the first chunk ends between them
        String before = "x".repeat(CHUNK - 5);
        String text = before + "{\"é\":1}" + "y".repeat(CHUNK) + "{\"ü\":2}";
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        PageBytes page = PageBytes.read(trickling(body));

        int across = CHUNK - 5;
        assertThat(page.utf8(across, across + "{\"é\":1}".getBytes(StandardCharsets.UTF_8).length)).isEqualTo("{\"é\":1}");
        int within = body.length - "{\"ü\":2}".getBytes(StandardCharsets.UTF_8).length;
        assertThat(page.utf8(within, body.length)).isEqualTo("{\"ü\":2}");
        assertThat(page.utf8(0, 3)).isEqualTo("xxx");
        assertThat(page.utf8(0, body.length)).isEqualTo(text);
    }

    private static byte[] body(int size) {
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) (i * 31 + 7);
        }
        return body;
    }

    /** A stream that gives at most 1,000 bytes per read. */
    private static InputStream trickling(byte[] body) {
        return new FilterInputStream(new ByteArrayInputStream(body)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1000));
            }
        };
    }
}
