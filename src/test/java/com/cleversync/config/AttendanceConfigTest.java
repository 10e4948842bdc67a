package com.cleversync.config;

import static com.cleversync.config.ConfigValidationTest.start;
import static com.cleversync.config.ConfigValidationTest.startupFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.TestDatabases;
import com.cleversync.aeries.AeriesApi;
import com.cleversync.aeries.AeriesStudentMatch;
import com.cleversync.sync.SyncAttendance;
import com.cleversync.sync.SyncDistricts;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A district's {@code attendance:} block: Clever's attendance by default, with its defaults; Aeries with
 * its address, certificate, match and each school's code; a schedule route of its own; and a mistake that
 * stops startup naming the key, never showing the certificate.
 */
@ExtendWith(OutputCaptureExtension.class)
class AttendanceConfigTest {
    private static final String DISTRICT = "cleversync.districts.springfield";
    private static final String ATTENDANCE = DISTRICT + ".attendance";
    private static final String CERTIFICATE = "Abcdefghijklmnopqrstuvwxyz012345";

    @Test
    void cleverIsTheDefaultSourceWithAWeekOfWindowAndChunks() {
        Map<String, Object> config = clever();
        config.put(ATTENDANCE + ".school-year-start", "2025-08-15");

        try (ConfigurableApplicationContext context = start(config)) {
            SyncAttendance attendance = context.getBean(SyncDistricts.class).get("springfield").attendance();
            assertThat(attendance.source()).isInstanceOf(SyncAttendance.Source.Clever.class);
            assertThat(attendance.schedule()).isEqualTo("0 0 4 * * ?");
            assertThat(attendance.schoolYearStart()).isEqualTo(LocalDate.of(2025, 8, 15));
            assertThat(attendance.correctionWindow()).isEqualTo(7);
            assertThat(attendance.chunk()).isEqualTo(7);
            assertThat(context.getBean(CamelContext.class).getRoutes()).extracting(Route::getRouteId)
                    .contains("attendance-springfield", "attendance-sync", "attendance-clever-springfield")
                    .doesNotContain("aeries-permit");
        }
    }

    @Test
    void aeriesTakesItsAddressCertificateMatchAndEachSchoolsCode(CapturedOutput output) {
        Map<String, Object> config = aeries();
        config.put(ATTENDANCE + ".correction-window", "10d");
        config.put(ATTENDANCE + ".chunk", "14d");
        config.put(ATTENDANCE + ".aeries.student-match", "state_id");
        config.put(ATTENDANCE + ".aeries.requests-per-minute", "30");
        config.put(ATTENDANCE + ".aeries.database-year", "2025");

        try (ConfigurableApplicationContext context = start(config)) {
            SyncAttendance attendance = context.getBean(SyncDistricts.class).get("springfield").attendance();
            SyncAttendance.Source.Aeries source = (SyncAttendance.Source.Aeries) attendance.source();
            assertThat(source.api()).isEqualTo(new AeriesApi("https://aeries.example.org/aeries",
                    AeriesStudentMatch.STATE_ID, 30, 2025));
            assertThat(source.certificate().current()).isEqualTo(CERTIFICATE);
            assertThat(source.certificate().toString()).doesNotContain(CERTIFICATE);
            assertThat(attendance.correctionWindow()).isEqualTo(10);
            assertThat(attendance.chunk()).isEqualTo(14);
            assertThat(context.getBean(SyncDistricts.class).get("springfield").schools().get(0).aeriesSchoolCode())
                    .isEqualTo(101);
            assertThat(context.getBean(CamelContext.class).getRoutes()).extracting(Route::getRouteId)
                    .contains("attendance-aeries-springfield", "aeries-page-springfield", "aeries-permit");
        }
        assertThat(output.getAll()).doesNotContain(CERTIFICATE);
    }

    @Test
    void aMissingOrMalformedSchoolYearStartFailsStartupNamingTheKey(CapturedOutput output) {
        Map<String, Object> config = clever();
        assertThat(startupFailure(config, output, ATTENDANCE + ".school-year-start").getMessage())
                .contains("is required");
        config.put(ATTENDANCE + ".school-year-start", "15/08/2025");
        assertThat(startupFailure(config, output, ATTENDANCE + ".school-year-start").getMessage())
                .contains("must be a date such as 2025-08-15");
    }

    @Test
    void aWindowOrChunkThatIsNotWholeDaysFailsStartupNamingTheKey(CapturedOutput output) {
        Map<String, Object> config = aeries();
        config.put(ATTENDANCE + ".correction-window", "36h");
        assertThat(startupFailure(config, output, ATTENDANCE + ".correction-window").getMessage())
                .contains("whole number of days");
        config.put(ATTENDANCE + ".correction-window", "7d");
        config.put(ATTENDANCE + ".chunk", "0d");
        assertThat(startupFailure(config, output, ATTENDANCE + ".chunk").getMessage()).contains("at least 1d");
    }

    @Test
    void aBadScheduleFailsStartupNamingTheKey(CapturedOutput output) {
        Map<String, Object> config = aeries();
        config.put(ATTENDANCE + ".schedule", "every morning");
        assertThat(startupFailure(config, output, ATTENDANCE + ".schedule").getMessage()).contains("Quartz cron");
    }

    @Test
    void aeriesNeedsItsAddressItsCertificateAndEverySchoolsCode(CapturedOutput output) {
        Map<String, Object> config = aeries();
        config.remove(DISTRICT + ".schools.lincoln-high.aeries-school-code");
        assertThat(startupFailure(config, output, DISTRICT + ".schools.lincoln-high.aeries-school-code").getMessage())
                .contains("SchoolCode");

        config = aeries();
        config.put(ATTENDANCE + ".aeries.base-url", "https://aeries.example.org/aeries/api/v5");
        assertThat(startupFailure(config, output, ATTENDANCE + ".aeries.base-url").getMessage())
                .contains("leave /api/v5 out");

        config = aeries();
        config.put(ATTENDANCE + ".aeries.base-url", "http://aeries.example.org/aeries");
        assertThat(startupFailure(config, output, ATTENDANCE + ".aeries.base-url").getMessage()).contains("https");

        config = aeries();
        config.remove(ATTENDANCE + ".aeries.certificate");
        assertThat(startupFailure(config, output, ATTENDANCE + ".aeries.certificate").getMessage())
                .contains("AERIES-CERT");

        config = aeries();
        config.put(ATTENDANCE + ".aeries.student-match", "email");
        assertThat(startupFailure(config, output, ATTENDANCE + ".aeries.student-match").getMessage())
                .contains("sis_id, student_number or state_id");
        assertThat(output.getAll()).doesNotContain(CERTIFICATE);
    }

    @Test
    void anAeriesKeyWithCleverAttendanceFailsStartupNamingTheKey(CapturedOutput output) {
        Map<String, Object> config = clever();
        config.put(ATTENDANCE + ".school-year-start", "2025-08-15");
        config.put(DISTRICT + ".schools.lincoln-high.aeries-school-code", "101");
        assertThat(startupFailure(config, output, DISTRICT + ".schools.lincoln-high.aeries-school-code").getMessage())
                .contains("only with attendance.source: aeries");
    }

    private static Map<String, Object> clever() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(DISTRICT + ".token", "district-token");
        config.put(DISTRICT + ".schedule", "0 0 2 1 1 ? 2099");
        config.put(ATTENDANCE + ".source", "clever");
        config.put(DISTRICT + ".schools.lincoln-high.clever-id", "school-lincoln");
        config.put(DISTRICT + ".schools.lincoln-high.jdbc-url", TestDatabases.h2("attendance-cfg"));
        return config;
    }

    private static Map<String, Object> aeries() {
        Map<String, Object> config = clever();
        config.put(ATTENDANCE + ".source", "aeries");
        config.put(ATTENDANCE + ".school-year-start", "2025-08-15");
        config.put(ATTENDANCE + ".aeries.base-url", "https://aeries.example.org/aeries/");
        config.put(ATTENDANCE + ".aeries.certificate", CERTIFICATE);
        config.put(DISTRICT + ".schools.lincoln-high.aeries-school-code", "101");
        return config;
    }
}
