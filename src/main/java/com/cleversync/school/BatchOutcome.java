package com.cleversync.school;

/**
 * What writing one batch did.
 *
 * @param written   rows inserted or changed
 * @param unchanged rows already equal to Clever (not touched, so a repeated sync changes nothing)
 * @param rejected  records quarantined in {@code sync_rejects}
 */
public record BatchOutcome(int written, int unchanged, int rejected) {}
