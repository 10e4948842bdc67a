package com.cleversync.sync;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Who performs an operator action, for its audit line: the logged-in user over HTTP, {@code jmx} over JMX. */
public final class Operator {
    private Operator() {}

    /** The logged-in user's name, or {@code jmx} for an operation over JMX, which has no login of its own. */
    public static String current() {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        return user == null || !user.isAuthenticated() ? "jmx" : user.getName();
    }
}
