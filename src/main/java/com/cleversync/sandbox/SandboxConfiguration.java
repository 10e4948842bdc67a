package com.cleversync.sandbox;

import com.cleversync.config.CleverSyncProperties;
import com.cleversync.sandbox.oneroster.OneRosterSandbox;
import com.cleversync.sandbox.attendance.AttendanceSettings;
import com.cleversync.sandbox.attendance.AttendanceYear;
import com.cleversync.sandbox.attendance.CleverAttendance;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
 * Starts the built-in Clever and OneRoster simulators when {@code cleversync.sandbox.enabled=true}, or when it is
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
        // the school year of today, its attendance as Clever's v3.1 serves it
        sandbox.serve(new CleverAttendance(new AttendanceYear(district,
                AttendanceSettings.schoolYearOf(LocalDate.ofInstant(district.now(), ZoneOffset.UTC)))));
        LOG.info("Clever sandbox serving a generated district ({} schools, {} students, {} teachers, {} sections)"
                + " and its school year's attendance at {}",
                s.schools(), s.students(), s.teachers(), s.sections(), sandbox.baseUrl());
        return sandbox;
    }

    /**
     * A second generated district (another seed), served as OneRoster 1.2 as a SIS would, so that the
     * demo shows both sources side by side.
     */
    @Bean(destroyMethod = "close")
    @Conditional(SandboxWanted.class)
    OneRosterSandbox oneRosterSandbox(CleverSyncProperties properties) {
        CleverSyncProperties.Sandbox s = properties.sandbox();
        SandboxDistrict district = new SandboxDistrict(new SandboxSize(s.schools(), s.students(), s.teachers(),
                s.staff(), s.sections(), s.studentsPerSection(), s.terms(), s.courses(), s.seed() + 1));
        OneRosterSandbox sandbox = OneRosterSandbox.start(district,
                OneRosterSandbox.Settings.defaults().withVersion(OneRosterSandbox.Settings.V1_2));
        LOG.info("OneRoster sandbox serving a second generated district as OneRoster 1.2 at {}", sandbox.apiUrl());
        return sandbox;
    }

    /** The engine syncs the sandboxes' districts when no district is configured. */
    @Bean
    @Conditional(SandboxWanted.class)
    SandboxDemo sandboxDemo(CleverSandbox sandbox, OneRosterSandbox oneRoster, CleverSyncProperties properties) {
        return new SandboxDemo(sandbox, oneRoster, properties.sandbox());
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
