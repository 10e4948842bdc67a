package com.cleversync.sync;

/** A run stopped part-way (the service is shutting down); the next run resumes from its checkpoints. */
class SyncInterruptedException extends RuntimeException {
    SyncInterruptedException(String message) {
        super(message);
    }
}
