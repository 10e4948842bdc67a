package com.cleversync;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

@SpringBootApplication
public class CleverSyncApplication {
    public static void main(String[] args) {
        ConfigurableApplicationContext context;
        try {
            context = SpringApplication.run(CleverSyncApplication.class, args);
        } catch (RuntimeException startupFailed) {
            // Spring Boot has logged why and closed the context; the thread that Camel's run controller
            // started must not keep the JVM up (a container would hang instead of restarting)
            System.exit(1);
            return;
        }
        if (context.getEnvironment().getProperty("cleversync.run-once", Boolean.class, false)) {
            // exit status 0 only if every school of every district succeeded (see RunOnce)
            System.exit(SpringApplication.exit(context));
        }
    }
}
