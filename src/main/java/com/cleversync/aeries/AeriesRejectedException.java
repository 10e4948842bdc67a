package com.cleversync.aeries;

/**
 * Aeries refused the request in a way asking again cannot fix: a certificate it does not accept (401, 403), a
 * school, year or path it does not have (404), a request it cannot read (400, 406). Someone has to fix the
 * configuration. The message names the request, the status and Aeries' own {@code Message}, never the certificate.
 */
public class AeriesRejectedException extends RuntimeException {
    public AeriesRejectedException(String message) {
        super(message);
    }
}
