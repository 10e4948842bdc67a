package com.cleversync.sync;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * This process among the service's replicas: its host name (the pod's name in Kubernetes) and
 * process id, as {@code sync_runs.replica} and the district leases name it.
 */
public record Replica(String name) {
    public static Replica thisProcess() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "unknown-host";
            }
        }
        return new Replica(host + "/" + ProcessHandle.current().pid());
    }

    @Override
    public String toString() {
        return name;
    }
}
