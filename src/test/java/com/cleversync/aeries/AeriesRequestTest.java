package com.cleversync.aeries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The URLs asked of a district's Aeries, and what a failed answer means. */
class AeriesRequestTest {
    private static final LocalDate MONDAY = LocalDate.of(2025, 9, 22);

    @Test
    void attendanceIsAskedForByDateRangeBelowTheDistrictsOwnAddress() {
        AeriesRequest week = AeriesRequest.attendance(101, MONDAY, MONDAY.plusDays(4), null);

        assertThat(week.uri("https://sis.district.org/aeries/").toString())
                .isEqualTo("https://sis.district.org/aeries/api/v5/schools/101/attendance?StartDate=20250922&EndDate=20250926");
        assertThat(AeriesRequest.attendance(7, MONDAY, MONDAY, 2025).uri("http://127.0.0.1:8080").toString())
                .isEqualTo("http://127.0.0.1:8080/api/v5/schools/7/attendance?StartDate=20250922&EndDate=20250922&DatabaseYear=2025");
        assertThat(AeriesRequest.absenceCodes(101, null).uri("https://sis.district.org").toString())
                .isEqualTo("https://sis.district.org/api/v5/schools/101/AbsenceCodes");
        assertThat(AeriesRequest.absenceCodes(101, 2025).uri("https://sis.district.org").toString())
                .isEqualTo("https://sis.district.org/api/v5/schools/101/AbsenceCodes?DatabaseYear=2025");
        assertThat(week).hasToString("GET schools/101/attendance 2025-09-22..2025-09-26");
    }

    @Test
    void aLongRangeIsAskedForInChunksOfDays() {
        assertThat(AeriesRequest.attendanceChunks(100, MONDAY, LocalDate.of(2025, 10, 8), 7, null))
                .containsExactly(AeriesRequest.attendance(100, MONDAY, LocalDate.of(2025, 9, 28), null),
                        AeriesRequest.attendance(100, LocalDate.of(2025, 9, 29), LocalDate.of(2025, 10, 5), null),
                        AeriesRequest.attendance(100, LocalDate.of(2025, 10, 6), LocalDate.of(2025, 10, 8), null));
        assertThat(AeriesRequest.attendanceChunks(100, MONDAY, MONDAY, 7, null)).hasSize(1);
        assertThat(AeriesRequest.attendanceChunks(100, MONDAY, MONDAY.minusDays(1), 7, null)).isEmpty();
    }

    @Test
    void aBaseUrlOtherThanTheAddressUpToApiIsRefused() {
        AeriesRequest codes = AeriesRequest.absenceCodes(1, null);
        assertThatThrownBy(() -> codes.uri("https://sis.district.org/aeries/api"))
                .hasMessage("the Aeries base URL ends before /api: leave /api/v5 out");
        assertThatThrownBy(() -> codes.uri("https://sis.district.org/api/v5/"))
                .hasMessage("the Aeries base URL ends before /api: leave /api/v5 out");
        assertThatThrownBy(() -> codes.uri("ftp://sis.district.org"))
                .hasMessage("the Aeries base URL must be http:// or https:// with a host");
        assertThatThrownBy(() -> codes.uri("https://user:pw@sis.district.org"))
                .hasMessage("the Aeries base URL must have no user info, query or fragment")
                .hasMessageNotContaining("pw");
        assertThatThrownBy(() -> AeriesRequest.attendance(1, MONDAY, MONDAY.minusDays(1), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void serverErrorsAndOutagesAreUnavailableTheRestRejectedWithAeriesMessage() {
        AeriesRequest week = AeriesRequest.attendance(101, MONDAY, MONDAY.plusDays(4), null);

        assertThat(week.failure(503, "{\"Message\":\"An error has occurred.\"}"))
                .isInstanceOf(AeriesUnavailableException.class)
                .hasMessage("HTTP 503 from GET schools/101/attendance 2025-09-22..2025-09-26: An error has occurred.");
        assertThat(week.failure(502, "<html>Bad gateway</html>")).isInstanceOf(AeriesUnavailableException.class)
                .hasMessage("HTTP 502 from GET schools/101/attendance 2025-09-22..2025-09-26");
        assertThat(week.failure(429, "")).isInstanceOf(AeriesUnavailableException.class);
        assertThat(week.failure(new ConnectException("Connection refused"))).isInstanceOf(AeriesUnavailableException.class)
                .hasMessage("GET schools/101/attendance 2025-09-22..2025-09-26 failed: ConnectException")
                .hasCauseInstanceOf(IOException.class);
        assertThat(week.failure(401, "{\"Message\":\"Authorization has been denied for this request.\"}"))
                .isInstanceOf(AeriesRejectedException.class)
                .hasMessage("HTTP 401 from GET schools/101/attendance 2025-09-22..2025-09-26: Authorization has been "
                        + "denied for this request. (the certificate is refused, or may not read this)");
        assertThat(week.failure(403, null)).isInstanceOf(AeriesRejectedException.class);
        assertThat(week.failure(404, "{\"Message\":\"School not found.\"}")).isInstanceOf(AeriesRejectedException.class)
                .hasMessage("HTTP 404 from GET schools/101/attendance 2025-09-22..2025-09-26: School not found.");
        assertThat(week.failure(400, "{\"Message\":\"Dates must be yyyyMMdd.\"}"))
                .isInstanceOf(AeriesRejectedException.class).hasMessageEndingWith(": Dates must be yyyyMMdd.");
        // should Aeries ever echo the certificate, it is masked
        assertThat(week.failure(401, "{\"Message\":\"Certificate SandboxAeriesCert0123456789abcde is not valid\"}"))
                .hasMessageContaining("Certificate **** is not valid")
                .hasMessageNotContaining("SandboxAeriesCert0123456789abcde");
    }
}
