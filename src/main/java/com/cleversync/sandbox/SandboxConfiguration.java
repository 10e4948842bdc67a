package com.cleversync.sandbox;

import com.cleversync.config.CleverSyncProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Starts the built-in Clever simulator when {@code cleversync.sandbox.enabled=true}, or when it is
 * unset and no district is configured (the zero-configuration demo).
 */
@Configuration(proxyBeanMethods = false)
public class SandboxConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxConfiguration.class);

    @Bean(destroyMethod = "close")
    @Conditional(SandboxWanted.class)
    CleverSandbox cleverSandbox(CleverSyncProperties properties) {
        CleverSyncProperties.Sandbox s = properties.sandbox();
        SandboxDistrict district = new SandboxDistrict(new SandboxSize(s.schools(), s.students(), s.teachers(),
                s.staff(), s.sections(), s.studentsPerSection(), s.terms(), s.courses(), s.seed()));
        CleverSandbox sandbox = CleverSandbox.start(district, s.token(), s.port(), s.requestsPerMinute());
        LOG.info("Clever sandbox serving a generated district ({} schools, {} students, {} teachers, {} sections) at {}",
                s.schools(), s.students(), s.teachers(), s.sections(), sandbox.baseUrl());
        return sandbox;
    }

    /** The engine syncs the sandbox's district when no district is configured. */
    @Bean
    @Conditional(SandboxWanted.class)
    SandboxDemo sandboxDemo(CleverSandbox sandbox, CleverSyncProperties properties) {
        return new SandboxDemo(sandbox, properties.sandbox());
    }

    static class SandboxWanted implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Binder binder = Binder.get(context.getEnvironment());
            return binder.bind("cleversync.sandbox.enabled", Boolean.class)
                    .orElseGet(() -> !binder.bind("cleversync.districts", Bindable.mapOf(String.class, Object.class))
                            .isBound());
        }
    }

}
