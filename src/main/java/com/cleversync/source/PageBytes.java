package com.cleversync.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A response body held as a list of small chunks. A 10,000-record page is 10–15 MB; holding it
 * in one array (and growing it by doubling while reading) makes the JVM allocate several large
 * "humongous" arrays per page, which fragments a small heap until an allocation fails. Chunks
 * stay below that size and are allocated exactly once.
 *
 * <p>Source-neutral: every roster source's page parser (Clever's, OneRoster's) reads its body into
 * one of these and cuts each record's raw JSON out of it by byte offsets, so a record is stored
 * exactly as sent.
 */
public final class PageBytes {
    /** Below half of G1's smallest region (1 MB), so never a humongous allocation. */
    private static final int CHUNK = 256 * 1024;

    private final List<byte[]> chunks;

    private PageBytes(List<byte[]> chunks) {
        this.chunks = chunks;
    }

    /**
     * Reads the stream to its end; the caller closes it. Each chunk is read in place (the one-argument
     * {@code readNBytes} would gather it in buffers of its own and copy them), only the last is trimmed.
     */
    public static PageBytes read(InputStream in) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        while (true) {
            byte[] chunk = new byte[CHUNK];
            int n = in.readNBytes(chunk, 0, CHUNK);
            if (n < CHUNK) {
                if (n > 0) {
                    chunks.add(Arrays.copyOf(chunk, n));
                }
                return new PageBytes(chunks);
            }
            chunks.add(chunk);
        }
    }

    /** A fresh stream over the whole body. */
    public InputStream stream() {
        return new InputStream() {
            private int chunk;
            private int pos;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                while (chunk < chunks.size() && pos == chunks.get(chunk).length) {
                    chunk++;
                    pos = 0;
                }
                if (chunk == chunks.size()) {
                    return -1;
                }
                int n = Math.min(len, chunks.get(chunk).length - pos);
                System.arraycopy(chunks.get(chunk), pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    /** The UTF-8 text between two byte offsets. */
    public String utf8(long start, long end) {
        long offset = 0;
        for (byte[] c : chunks) {
            if (start < offset + c.length) {
                if (end <= offset + c.length) { // within one chunk, as most records are: decoded in place
                    return new String(c, (int) (start - offset), (int) (end - start), StandardCharsets.UTF_8);
                }
                break;
            }
            offset += c.length;
        }
        byte[] out = new byte[(int) (end - start)];
        int copied = 0;
        long chunkStart = 0;
        for (byte[] c : chunks) {
            long chunkEnd = chunkStart + c.length;
            if (chunkEnd > start && chunkStart < end) {
                int from = (int) Math.max(0, start - chunkStart);
                int to = (int) Math.min(c.length, end - chunkStart);
                System.arraycopy(c, from, out, copied, to - from);
                copied += to - from;
            }
            if (chunkEnd >= end) {
                break;
            }
            chunkStart = chunkEnd;
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
