package com.cleversync.sync;

import com.cleversync.school.Checkpoint;
import com.cleversync.school.SchoolRecord;
import com.cleversync.school.SchoolTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an attendance run reads, from what each school's database says: a school that has never read
 * attendance from this source starts at the school year's start (the backfill); one that has reads on
 * from the day after its last committed day, and never from later than the correction window's first
 * day, which every run reads again. The days are read in chunks, all schools' first chunk first; each
 * school's progress commits after each of its chunks. Inside the window, a record the school holds that
 * its chunk did not give again is archived (Aeries' negative attendance: a day corrected to present
 * disappears); older days are only ever read by a backfill that has not passed them yet.
 */
final class AttendancePlan {

    /**
     * One school's read of the days {@code from} to {@code to} (both included). Inside the correction
     * window (from {@code archivedFrom} to {@code to}) it collects the ids its records carried, for the
     * archiving at its end.
     */
    static final class Chunk {
        private final SchoolRun school;
        private final LocalDate from;
        private final LocalDate to;
        /** The first of the chunk's days inside the correction window, or null when it has none. */
        private final LocalDate archivedFrom;
        private final Set<String> given = new HashSet<>();

        Chunk(SchoolRun school, LocalDate from, LocalDate to, LocalDate windowStart) {
            this.school = school;
            this.from = from;
            this.to = to;
            this.archivedFrom = to.isBefore(windowStart) ? null : from.isBefore(windowStart) ? windowStart : from;
        }

        SchoolRun school() {
            return school;
        }

        LocalDate from() {
            return from;
        }

        LocalDate to() {
            return to;
        }

        /** The first of the chunk's days inside the correction window, or null when it has none. */
        LocalDate archivedFrom() {
            return archivedFrom;
        }

        @Override
        public String toString() {
            return "Chunk[" + school.school().routeId() + " " + from + ".." + to + "]";
        }
    }

    private final DistrictRun run;
    private final SyncAttendance attendance;
    private final LocalDate today;
    private final Map<SchoolRun, LocalDate> starts = new LinkedHashMap<>();
    /** The schools that have never read attendance from this source: their run is a backfill. */
    private final Set<SchoolRun> backfilling = ConcurrentHashMap.newKeySet();
    /** What the source needs to read each school's records, once read in this run (Aeries: its codes and matches). */
    private final Map<SchoolRun, Object> readers = new ConcurrentHashMap<>();

    /** @param today the day the run starts on, in the district's time zone */
    AttendancePlan(DistrictRun run, SyncAttendance attendance, LocalDate today) {
        this.run = run;
        this.attendance = attendance;
        this.today = today;
    }

    String source() {
        return attendance.source().name();
    }

    LocalDate today() {
        return today;
    }

    /** The first day inside the correction window: read again and archived from on every run. */
    LocalDate windowStart() {
        return today.minusDays(attendance.correctionWindow());
    }

    /** Where the school reads from, given what its database says (null: never read from this source). */
    void start(SchoolRun school, Checkpoint.AttendanceRead state) {
        boolean fresh = state == null || !state.source().equals(source());
        if (fresh) {
            backfilling.add(school);
        }
        starts.put(school, fresh ? attendance.schoolYearStart() : min(state.through().plusDays(1), windowStart()));
    }

    /**
     * What the run reads for the school, for its {@code sync_runs.mode_reason}, e.g. {@code backfill from
     * 2025-08-18 to 2025-12-04} or {@code 2025-11-27 to 2025-12-04 (the correction window)}; null before its
     * start is known.
     */
    String reading(SchoolRun school) {
        LocalDate start = starts.get(school);
        if (start == null) {
            return null;
        }
        String days = start + " to " + today;
        return backfilling.contains(school) ? "backfill from " + days
                : start.isBefore(windowStart()) ? days + " (from the day after the last one read)"
                : days + " (the correction window)";
    }

    /**
     * The run's reads, chunk by chunk from the earliest school's start to today, each chunk for every
     * healthy school that has not read it yet (from its own start within the chunk).
     */
    List<Chunk> chunks() {
        LocalDate first = null;
        for (SchoolRun school : healthy()) {
            LocalDate start = starts.get(school);
            first = first == null ? start : min(first, start);
        }
        List<Chunk> chunks = new ArrayList<>();
        if (first == null) {
            return chunks;
        }
        for (LocalDate from = first; !from.isAfter(today); from = from.plusDays(attendance.chunk())) {
            LocalDate to = min(from.plusDays(attendance.chunk() - 1L), today);
            for (SchoolRun school : healthy()) {
                LocalDate start = starts.get(school);
                if (!start.isAfter(to)) {
                    chunks.add(new Chunk(school, start.isAfter(from) ? start : from, to, windowStart()));
                }
            }
        }
        return chunks;
    }

    /**
     * The chunk's records routed to its school: inside the correction window their ids are what the
     * school's source still gives (older chunks archive nothing, so keep none).
     */
    List<SchoolRecord> given(Chunk chunk, List<SchoolRecord> routed) {
        if (chunk.archivedFrom != null) {
            routed.forEach(record -> chunk.given.add(record.id()));
        }
        return routed;
    }

    /**
     * Of the ids the school holds for the chunk's days inside the window ({@link Chunk#archivedFrom()} to
     * its end), the archive orders for those the chunk did not give again.
     */
    List<SchoolRecord> corrections(Chunk chunk, List<String> held) {
        List<SchoolRecord> archive = new ArrayList<>();
        for (String id : held) {
            if (!chunk.given.contains(id)) {
                archive.add(SchoolRecord.archive(SchoolTable.ATTENDANCE, id));
            }
        }
        chunk.given.clear();
        return archive;
    }

    /** What the source needs to read the school's records, when it has been read in this run; else null. */
    Object reader(SchoolRun school) {
        return readers.get(school);
    }

    void reader(SchoolRun school, Object reader) {
        readers.put(school, reader);
    }

    /** Where the school stands once the chunk is committed. */
    Checkpoint checkpoint(Chunk chunk) {
        return new Checkpoint.AttendanceRead(source(), chunk.to);
    }

    private List<SchoolRun> healthy() {
        return run.healthy().filter(starts::containsKey).toList();
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }
}
