package com.cleversync;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

@SpringBootApplication
public class CleverSyncApplication {
    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(CleverSyncApplication.class, args);
        if (context.getEnvironment().getProperty("cleversync.run-once", Boolean.class, false)) {
            // exit status 0 only if every school of every district succeeded (see RunOnce)
            System.exit(SpringApplication.exit(context));
        }
    }
}
