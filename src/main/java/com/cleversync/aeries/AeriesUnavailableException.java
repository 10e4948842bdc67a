package com.cleversync.aeries;

/**
 * Aeries failed in a way worth trying again later: the connection failed or timed out, or it answered 5xx or 429
 * (Aeries documents no rate limit, but a district's proxy may have one). The message names the request (school,
 * resource and dates, never the district's host) and the status, never the certificate.
 */
public class AeriesUnavailableException extends RuntimeException {
    public AeriesUnavailableException(String message) {
        super(message);
    }

    public AeriesUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
