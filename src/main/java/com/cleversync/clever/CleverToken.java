package com.cleversync.clever;

import com.cleversync.source.Secret;
import java.util.function.UnaryOperator;

/** A district's Clever bearer token, read again from configuration when Clever answers 401. Never printed. */
public final class CleverToken extends Secret {

    public CleverToken(String configured, UnaryOperator<String> resolver) {
        super(configured, resolver);
    }
}
