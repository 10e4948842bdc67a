package com.cleversync.aeries;

/**
 * An Aeries 200 answer that is not what the request asks for: not JSON, truncated, or not the expected shape (an
 * array of objects with the fields that key a record). Worth retrying like an outage (the sandbox's and real
 * proxies' truncated bodies are), so a route retrying requests must name it. Its message names the answer and what
 * was wrong, and where (element and byte), never a value of a record.
 */
public class InvalidAeriesAnswerException extends RuntimeException {
    public InvalidAeriesAnswerException(String answer, String problem) {
        super("Aeries " + answer + ": " + problem);
    }
}
