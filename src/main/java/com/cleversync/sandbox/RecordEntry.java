package com.cleversync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.function.Supplier;

/**
 * One record in id order. The record itself is only built when asked for, so paging and look-ahead
 * (is there a next page?) cost an id, not a generated record.
 */
record RecordEntry(String id, Supplier<ObjectNode> body) {

    /** A fresh node the caller may keep or change. */
    ObjectNode record() {
        return body.get();
    }
}
