package com.cleversync.sandbox;

/**
 * Generated Clever ids: 24 lowercase hex characters, a fixed 4-character prefix per resource followed by the
 * zero-padded generation index. Ids therefore ascend with the index, never collide across resources, and an id
 * can be mapped back to its index by binary search instead of a lookup table.
 * The user prefixes ascend student < teacher < staff so that {@code /users} without a role is still sorted.
 */
final class CleverIds {

    static final int LENGTH = 24;
    private static final int PREFIX_LENGTH = 4;
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String DISTRICT_PREFIX = "5a00";
    private static final String EVENT_PREFIX = "5a60";

    private CleverIds() {
    }

    static String of(SandboxResource resource, long index) {
        return of(prefix(resource), index);
    }

    /** The district's id carries the seed, so districts generated from different seeds are told apart. */
    static String district(long seed) {
        return of(DISTRICT_PREFIX, seed);
    }

    /**
     * Event ids carry the event's sequence number (from 1), so they ascend in the order events were recorded,
     * which is the order Clever pages events in. Like every generated id they start with a digit, so the word
     * {@code last} in {@code ending_before=last} sorts after all of them.
     */
    static String event(long sequence) {
        return of(EVENT_PREFIX, sequence);
    }

    private static String prefix(SandboxResource resource) {
        return switch (resource) {
            case SCHOOLS -> "5a10";
            case STUDENTS -> "5a21";
            case TEACHERS -> "5a22";
            case STAFF -> "5a23";
            case SECTIONS -> "5a30";
            case TERMS -> "5a40";
            case COURSES -> "5a50";
        };
    }

    private static String of(String prefix, long index) {
        char[] id = new char[LENGTH];
        prefix.getChars(0, PREFIX_LENGTH, id, 0);
        long rest = index;
        for (int i = LENGTH - 1; i >= PREFIX_LENGTH; i--) {
            id[i] = HEX[(int) (rest & 0xF)];
            rest >>>= 4;
        }
        return new String(id);
    }
}
