package com.cleversync.source;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;

/**
 * What a page parser says about a body that is not the shape it expects: what kind of value it found
 * and where, never the value itself (it may be personal data).
 */
public final class JsonShape {
    private JsonShape() {}

    /** What a JSON value is, e.g. {@code an object}, {@code a string}; {@code empty} for none. */
    public static String kind(JsonToken token) {
        if (token == null) {
            return "empty";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    /** {@code " at byte N"}, or nothing when the location is unknown. */
    public static String at(JsonLocation location) {
        return location == null || location.getByteOffset() < 0 ? "" : " at byte " + location.getByteOffset();
    }
}
