package com.cleversync.school;

/**
 * What writing one batch did.
 *
 * @param written   rows inserted or changed
 * @param unchanged rows already equal to Clever (not touched, so a repeated sync changes nothing)
 * @param rejected  records quarantined in {@code sync_rejects}
 * @param archived  rows archived because Clever deleted the record or it left the school
 */
public record BatchOutcome(int written, int unchanged, int rejected, int archived) {}
