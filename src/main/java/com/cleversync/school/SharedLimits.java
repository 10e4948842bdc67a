package com.cleversync.school;

import java.util.concurrent.Semaphore;

/**
 * What every school database of the service shares, so that a thousand schools cost what a few do:
 *
 * @param migrations permits for migrating (each school migrates on its first use, at most this many at once)
 * @param idle       which school databases keep a connection between uses
 */
public record SharedLimits(Semaphore migrations, IdleConnections idle) {
    public SharedLimits(int migrations, int idleConnections) {
        this(new Semaphore(migrations), new IdleConnections(idleConnections));
    }
}
