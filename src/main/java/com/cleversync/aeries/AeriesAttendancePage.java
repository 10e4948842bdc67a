package com.cleversync.aeries;

import com.cleversync.source.JsonShape;
import com.cleversync.source.PageBytes;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The answer of {@code GET /api/v5/schools/{SchoolCode}/attendance?StartDate=&EndDate=}: an array with one element
 * per student, {@code {"StudentID": 99400001, "AttendanceDays": [{"CalendarDate", "AllDayAttendanceCode",
 * "Classes": [{"SectionNumber", "Period", "AttendanceCode"}]}]}}, read into its {@link AeriesAttendanceDay days}.
 *
 * <p>Read as the roster sources' pages are: the body once into {@link PageBytes}, tokenized once with streaming
 * Jackson, each day's and each class's raw JSON cut out of the body byte for byte as sent. The whole answer is
 * checked to its end, so a truncated body fails as a whole: under negative attendance a shorter answer would read as
 * students corrected to present, and archive their absences.
 *
 * <p>What keys a record is checked (a student's {@code StudentID}, a day's {@code CalendarDate}); other fields are
 * read leniently (a missing code is none, a number where text is expected is read as its text), and fields
 * Aeries adds are skipped.
 */
public final class AeriesAttendancePage {
    private static final JsonFactory JSON = new JsonFactory();
    private static final String ANSWER = "attendance answer";

    private final List<AeriesAttendanceDay> days;
    private final int students;

    private AeriesAttendancePage(List<AeriesAttendanceDay> days, int students) {
        this.days = Collections.unmodifiableList(days);
        this.students = students;
    }

    /**
     * @param body the 200 answer's body; read completely and closed
     * @throws InvalidAeriesAnswerException when the body is not JSON, truncated, not an array of student objects,
     *                                      a student has no {@code StudentID} or its {@code AttendanceDays} is not
     *                                      an array of objects, or a day has no {@code CalendarDate} date
     */
    public static AeriesAttendancePage parse(InputStream body) {
        PageBytes bytes;
        try (InputStream in = body) {
            bytes = PageBytes.read(in);
        } catch (IOException e) {
            throw new InvalidAeriesAnswerException(ANSWER, "the body could not be read (" + e.getClass().getSimpleName() + ")");
        }
        List<AeriesAttendanceDay> days = new ArrayList<>();
        int students = 0;
        try (JsonParser p = JSON.createParser(bytes.stream())) {
            JsonToken root = p.nextToken();
            if (root != JsonToken.START_ARRAY) {
                throw new InvalidAeriesAnswerException(ANSWER, "the body is " + JsonShape.kind(root) + ", not an array");
            }
            JsonToken element;
            while ((element = p.nextToken()) != JsonToken.END_ARRAY) {
                if (element != JsonToken.START_OBJECT) {
                    throw new InvalidAeriesAnswerException(ANSWER, "element " + students + " is " + JsonShape.kind(element)
                            + ", not a student object");
                }
                student(p, bytes, students, days);
                students++;
            }
            if (p.nextToken() != null) {
                throw new InvalidAeriesAnswerException(ANSWER, "the body does not end after the array");
            }
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the offending text, which may be a record's: only its place is told
            throw new InvalidAeriesAnswerException(ANSWER, "the JSON is malformed or truncated" + JsonShape.at(e.getLocation()));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading bytes already in memory does not fail
        }
        return new AeriesAttendancePage(days, students);
    }

    /** Every student's days, in the order sent. */
    public List<AeriesAttendanceDay> days() {
        return days;
    }

    /** How many student elements the answer held. */
    public int students() {
        return students;
    }

    /** One student element, the parser on its START_OBJECT; its days are added once its StudentID is known. */
    private static void student(JsonParser p, PageBytes bytes, int index, List<AeriesAttendanceDay> out)
            throws IOException {
        String studentId = null;
        List<DayFields> days = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if ("StudentID".equals(field)) {
                studentId = value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_STRING ? p.getText() : null;
                p.skipChildren();
            } else if ("AttendanceDays".equals(field)) {
                if (value == JsonToken.VALUE_NULL) {
                    days = List.of();
                    continue;
                }
                if (value != JsonToken.START_ARRAY) {
                    throw new InvalidAeriesAnswerException(ANSWER, "AttendanceDays of element " + index + " is "
                            + JsonShape.kind(value) + ", not an array");
                }
                days = new ArrayList<>();
                JsonToken day;
                while ((day = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (day != JsonToken.START_OBJECT) {
                        throw new InvalidAeriesAnswerException(ANSWER, "day " + days.size() + " of element " + index
                                + " is " + JsonShape.kind(day) + ", not an object");
                    }
                    days.add(day(p, bytes, index, days.size()));
                }
            } else {
                p.skipChildren();
            }
        }
        if (studentId == null || studentId.isEmpty()) {
            throw new InvalidAeriesAnswerException(ANSWER, "element " + index + " has no StudentID number");
        }
        if (days != null) {
            for (DayFields day : days) {
                out.add(new AeriesAttendanceDay(studentId, day.date, day.allDayCode, day.classes, day.rawJson));
            }
        }
    }

    private record DayFields(LocalDate date, String allDayCode, List<AeriesAttendanceDay.Class> classes,
                             String rawJson) {}

    private static DayFields day(JsonParser p, PageBytes bytes, int student, int index) throws IOException {
        long start = p.currentTokenLocation().getByteOffset();
        String where = "day " + index + " of element " + student;
        LocalDate date = null;
        String allDayCode = "";
        List<AeriesAttendanceDay.Class> classes = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "CalendarDate" -> {
                    date = value == JsonToken.VALUE_STRING ? date(p.getText()) : null;
                    p.skipChildren();
                }
                case "AllDayAttendanceCode" -> allDayCode = text(p, value);
                case "Classes" -> {
                    if (value == JsonToken.VALUE_NULL) {
                        continue;
                    }
                    if (value != JsonToken.START_ARRAY) {
                        throw new InvalidAeriesAnswerException(ANSWER, "Classes of " + where + " is " + JsonShape.kind(value)
                                + ", not an array");
                    }
                    JsonToken element;
                    while ((element = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (element != JsonToken.START_OBJECT) {
                            throw new InvalidAeriesAnswerException(ANSWER, "class " + classes.size() + " of " + where
                                    + " is " + JsonShape.kind(element) + ", not an object");
                        }
                        classes.add(schoolClass(p, bytes));
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (date == null) {
            throw new InvalidAeriesAnswerException(ANSWER, where + " has no CalendarDate date");
        }
        return new DayFields(date, allDayCode, List.copyOf(classes),
                bytes.utf8(start, p.currentLocation().getByteOffset()));
    }

    private static AeriesAttendanceDay.Class schoolClass(JsonParser p, PageBytes bytes) throws IOException {
        long start = p.currentTokenLocation().getByteOffset();
        String section = null;
        String period = "";
        String code = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "SectionNumber" -> {
                    String text = text(p, value);
                    section = text.isEmpty() ? null : text;
                }
                case "Period" -> period = text(p, value);
                case "AttendanceCode" -> code = text(p, value);
                default -> p.skipChildren();
            }
        }
        return new AeriesAttendanceDay.Class(section, period, code,
                bytes.utf8(start, p.currentLocation().getByteOffset()));
    }

    /** A scalar as text, "" for null; an object or array (skipped) is "" too, which the mapping then treats as none. */
    private static String text(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT) {
            return p.getText().trim();
        }
        p.skipChildren();
        return "";
    }

    /** {@code 2025-09-22T00:00:00} (Aeries' form) or a bare {@code 2025-09-22}; null for anything else. */
    private static LocalDate date(String text) {
        if (text.length() < 10 || (text.length() > 10 && text.charAt(10) != 'T')) {
            return null;
        }
        try {
            return LocalDate.parse(text.substring(0, 10));
        } catch (DateTimeException e) {
            return null;
        }
    }
}
