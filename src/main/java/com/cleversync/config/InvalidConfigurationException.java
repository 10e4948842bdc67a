package com.cleversync.config;

/** A configuration value the service cannot run with; the message names the offending key. */
public class InvalidConfigurationException extends RuntimeException {
    private final String key;

    public InvalidConfigurationException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
