package com.cleversync.aeries;

/**
 * A district's Aeries API v5, as configured.
 *
 * @param baseUrl           the address up to but excluding {@code /api}
 * @param match             the {@code students} column that holds the Aeries StudentID
 * @param requestsPerMinute the client-side limit on requests to it
 * @param databaseYear      the school year's {@code DatabaseYear}, or null for the district's current one
 */
public record AeriesApi(String baseUrl, AeriesStudentMatch match, int requestsPerMinute, Integer databaseYear) {}
