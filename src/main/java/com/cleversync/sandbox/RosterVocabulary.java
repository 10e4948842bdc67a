package com.cleversync.sandbox;

/**
 * Word lists the generator draws from. Deliberately awkward: apostrophes, hyphens, spaces, accents, non-Latin
 * scripts and an emoji, because those are what break school databases and CSV exports in real districts.
 */
final class RosterVocabulary {

    /** Surname given to about 2 % of students so log scans have a harmless marker to grep for. */
    static final String CANARY_SURNAME = "Canarysson";

    static final String[] FIRST_NAMES = {
        "Zoë", "José", "Liam", "Olivia", "Noah", "Sofía", "Mateo", "Chloé", "Björn", "Siobhán",
        "Mei", "Ji-woo", "Aarav", "Fatima", "Oluwaseun", "Łukasz", "François", "Renée", "Søren", "Amélie",
        "Jamal", "Emily", "Ethan", "Ava", "Lucas", "Mia", "Elijah", "Harper", "D'Andre", "Mary Kate",
        "Anne-Marie", "Ngọc", "Yusuf", "Ximena", "Þóra", "Ayşe", "Kai 🌊", "Priya", "Tomás", "Hana",
    };

    static final String[] MIDDLE_NAMES = {
        "Grace", "James", "Marie", "Lee", "Ann", "José", "Rose", "Ø", "Mae", "Jean-Luc", "K.", "Thị",
    };

    static final String[] LAST_NAMES = {
        "O'Brien", "Nguyễn", "D'Angelo", "Ølstad", "李", "Müller-Lüdenscheidt", "García", "Smith", "Johnson",
        "Williams", "Brown", "Jones", "Kowalski", "Öztürk", "Yılmaz", "Papadopoulos", "Ó Súilleabháin",
        "van der Berg", "St. John", "Al-Hassan", "Patel", "Kim", "Tanaka", "Dubois", "Ngata", "Zhang",
        "Ivanov", "Mbeki", "Lefèvre", "Þórsson", "McAllister", "de la Cruz", "Şahin", "Quiñones",
    };

    static final String[] SCHOOL_NAMES = {
        "Lincoln", "Roosevelt", "César Chávez", "Sojourner Truth", "O'Keeffe", "Mary McLeod Bethune",
        "Sakakawea", "Dolores Huerta", "Hillcrest", "Riverside", "Maple Grove", "Wilhelm Röntgen",
    };

    /** By school level: elementary, middle, high. */
    static final String[] SCHOOL_LEVELS = {"Elementary School", "Middle School", "High School"};

    /** Clever grade values indexed by grade number (Kindergarten = 0). */
    static final String[] GRADES = {
        "Kindergarten", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
    };

    static final String[] GENDERS = {"M", "F", "X", ""};

    static final String[] RACES = {
        "Caucasian", "Asian", "Black or African American", "American Indian",
        "Hawaiian or Other Pacific Islander", "Two or More Races", "Unknown", "",
    };

    static final String[] YES_NO = {"Y", "N", ""};

    static final String[] TEACHER_TITLES = {"Mr.", "Ms.", "Mrs.", "Dr.", "Mx.", "Teacher", ""};

    static final String[] STAFF_DEPARTMENTS = {
        "Administration", "Counseling", "Technology", "Special Education", "Nurse's Office", "Food Services",
    };

    static final String[] STAFF_TITLES = {
        "Principal", "Assistant Principal", "Counselor", "IT Coordinator", "School Nurse", "Registrar", "",
    };

    static final String[] STREETS = {
        "Main St", "Oak Ave", "Calle de la Reina", "Martin Luther King Jr Blvd", "Rue Saint-Honoré",
        "Elm St, Apt #4", "O'Connell Rd", "Königstraße",
    };

    /** City and state pairs. */
    static final String[][] CITIES = {
        {"San José", "CA"}, {"Coeur d'Alene", "ID"}, {"Española", "NM"}, {"Springfield", "IL"},
        {"Boston", "MA"}, {"Honolulu", "HI"},
    };

    /** Course titles with the Clever subject their sections are taught under. */
    static final String[][] COURSES = {
        {"Algebra I", "math"}, {"Geometry", "math"}, {"AP Calculus AB", "math"},
        {"English 9", "english/language arts"}, {"Reading Intervention", "interventions/online learning"},
        {"Chemistry", "science"}, {"Biology", "science"}, {"World History", "social studies"},
        {"U.S. Government & Civics", "social studies"}, {"Español II", "language"}, {"Français 1", "language"},
        {"Art & Design", "arts and music"}, {"Music — Choir", "arts and music"},
        {"Physical Education", "PE and health"}, {"Computer Science Principles", "technology and engineering"},
        {"Homeroom", "homeroom/advisory"}, {"Kindergarten Readiness", "other"},
    };

    private RosterVocabulary() {
    }
}
