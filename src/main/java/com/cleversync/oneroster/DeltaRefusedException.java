package com.cleversync.oneroster;

/** The provider refused a {@code dateLastModified} filter: it cannot give deltas, so the run is a full sync. */
public class DeltaRefusedException extends RuntimeException {
    public DeltaRefusedException(String message) {
        super(message);
    }
}
