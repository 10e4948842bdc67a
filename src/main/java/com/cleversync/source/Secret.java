package com.cleversync.source;

import java.util.function.UnaryOperator;

/**
 * A credential a source is called with (a bearer token, a certificate). The configured value may be a
 * placeholder (e.g. a Key Vault secret); when the source refuses it, the placeholder is resolved again,
 * because the secret may have been rotated since startup. Never printed.
 */
public class Secret {
    private final String configured;
    private final UnaryOperator<String> resolver;
    private volatile String current;

    public Secret(String configured, UnaryOperator<String> resolver) {
        this.configured = configured;
        this.resolver = resolver;
        this.current = resolver.apply(configured);
    }

    public String current() {
        return current;
    }

    /** Resolves the configured value again; true when it changed (the secret was rotated). */
    public synchronized boolean reload() {
        String fresh = resolver.apply(configured);
        boolean changed = fresh != null && !fresh.isBlank() && !fresh.equals(current);
        if (changed) {
            current = fresh;
        }
        return changed;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[****]";
    }
}
