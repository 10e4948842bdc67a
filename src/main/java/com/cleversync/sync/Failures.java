package com.cleversync.sync;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.apache.camel.CamelExchangeException;

/**
 * Short, log-safe descriptions of failures. Only infrastructure failures (HTTP status, lost
 * connections, malformed pages) reach these; record-level problems are quarantined, not described.
 */
public final class Failures {
    private static final int MAX_LENGTH = 500;

    private Failures() {}

    public static String describe(Throwable t) {
        return describe(t, null);
    }

    /** As {@link #describe(Throwable)}, with every occurrence of {@code withheld} (e.g. a configured value) replaced. */
    static String describe(Throwable failure, String withheld) {
        Throwable t = unwrapped(failure);
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        StringBuilder s = new StringBuilder(t.getClass().getSimpleName());
        if (t instanceof SQLException sql && sql.getSQLState() != null) {
            s.append(" [SQLState ").append(sql.getSQLState()).append(']');
        }
        // a batch failure's message may quote the statement with its bound values (personal data)
        s.append(": ").append(t instanceof BatchUpdateException ? "batch statement failed (details withheld)"
                : firstLine(t.getMessage(), withheld));
        if (root != t) {
            s.append(" (cause ").append(root.getClass().getSimpleName()).append(": ")
                    .append(firstLine(root.getMessage(), withheld)).append(')');
        }
        return s.length() > MAX_LENGTH ? s.substring(0, MAX_LENGTH) : s.toString();
    }

    /**
     * The failure without Camel's wrapping: a split's "Multicast processing failed for number 3.
     * Exchange[…]" says nothing an operator can use.
     */
    static Throwable unwrapped(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CamelExchangeException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String firstLine(String message, String withheld) {
        if (message == null) {
            return "";
        }
        if (withheld != null && !withheld.isEmpty()) {
            message = message.replace(withheld, "[configured value withheld]");
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
