package com.cleversync.oneroster;

/**
 * A page as the provider answered it: its records, and what its headers say about the collection.
 *
 * @param total    {@code X-Total-Count} (ClassLink: {@code x-count}), or null when the provider does not say
 * @param linkNext whether the {@code Link} header has {@code rel="next"}; null without a Link header
 */
public record OneRosterAnswer(OneRosterRequest request, OneRosterPage<?> page, Long total, Boolean linkNext) {

    /**
     * The next page, or null after the last. The provider's own word comes first (a next link, then the
     * total); without either, a page shorter than asked for is the last. An empty page always ends it.
     */
    public OneRosterRequest next() {
        int size = page.size();
        if (size == 0) {
            return null;
        }
        boolean more = linkNext != null ? linkNext
                : total != null ? request.offset() + size < total
                : size >= request.limit();
        return more ? request.next(size) : null;
    }
}
