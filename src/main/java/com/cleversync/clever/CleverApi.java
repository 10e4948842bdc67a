package com.cleversync.clever;

/**
 * Where the Clever API is and how it is paged.
 *
 * @param baseUrl  scheme+host[:port], without version (the sandbox's address when it is active)
 * @param pageSize records per page, 1..10000
 */
public record CleverApi(String baseUrl, int pageSize) {}
