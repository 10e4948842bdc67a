package com.cleversync.aeries;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One school's absence codes, from {@code GET /api/v5/schools/{SchoolCode}/AbsenceCodes}: each of its letters
 * ({@code AbsenceCode}) with its {@code TypeCode}. Letters are the school's own: the same letter may be an unverified
 * absence at one school and an unexcused one at the next, so a mapping always looks a letter up in the codes of the
 * school the record came from, and takes the meaning from the {@code TypeCode} only.
 *
 * <p>Letters are matched exactly (case and all). A letter listed twice with the same {@code TypeCode} is one code;
 * with two different ones the school's codes are ambiguous and the answer is refused. A {@code TypeCode} Aeries does
 * not document is kept: records with that letter are rejected by the mapping, not the whole school.
 */
public final class AeriesAbsenceCodes {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ANSWER = "AbsenceCodes answer";

    private final Map<String, Integer> typeCodes;

    private AeriesAbsenceCodes(Map<String, Integer> typeCodes) {
        this.typeCodes = Collections.unmodifiableMap(typeCodes);
    }

    /** Codes given directly, letter to {@code TypeCode} (what tests and a configured override use). */
    public static AeriesAbsenceCodes of(Map<String, Integer> typeCodes) {
        return new AeriesAbsenceCodes(new LinkedHashMap<>(typeCodes));
    }

    /**
     * @param body the 200 answer's body; read completely and closed
     * @throws InvalidAeriesAnswerException when it is not a JSON array of objects each with a non-empty text
     *                                      {@code AbsenceCode} and a whole-number {@code TypeCode}, or a letter has
     *                                      two TypeCodes
     */
    public static AeriesAbsenceCodes parse(InputStream body) {
        JsonNode root;
        try (InputStream in = body) {
            root = MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the text it choked on: only the place is told
            throw new InvalidAeriesAnswerException(ANSWER, "the JSON is malformed or truncated"
                    + (e.getLocation() == null ? "" : " at byte " + e.getLocation().getByteOffset()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isArray()) {
            throw new InvalidAeriesAnswerException(ANSWER, "the body is not an array");
        }
        Map<String, Integer> typeCodes = new LinkedHashMap<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode code = root.get(i);
            if (!code.isObject()) {
                throw new InvalidAeriesAnswerException(ANSWER, "element " + i + " is not an object");
            }
            JsonNode letter = code.get("AbsenceCode");
            if (letter == null || !letter.isTextual() || letter.asText().isEmpty()) {
                throw new InvalidAeriesAnswerException(ANSWER, "element " + i + " has no AbsenceCode text");
            }
            JsonNode type = code.get("TypeCode");
            if (type == null || !type.canConvertToInt() || !type.isIntegralNumber()) {
                throw new InvalidAeriesAnswerException(ANSWER, "element " + i + " has no whole-number TypeCode");
            }
            Integer before = typeCodes.putIfAbsent(letter.asText(), type.asInt());
            if (before != null && before != type.asInt()) {
                // letters are not personal data: naming it tells the district what to fix
                throw new InvalidAeriesAnswerException(ANSWER, "AbsenceCode \"" + letter.asText()
                        + "\" is listed with two TypeCodes");
            }
        }
        return new AeriesAbsenceCodes(typeCodes);
    }

    /** The school's letters and their {@code TypeCode}s, in the order Aeries listed them. */
    public Map<String, Integer> typeCodes() {
        return typeCodes;
    }

    /** Whether the school has the letter, with any TypeCode. */
    public boolean has(String letter) {
        return typeCodes.containsKey(letter);
    }

    /** The meaning of the school's letter, or null for a letter it does not have or of an undocumented TypeCode. */
    public AeriesAbsenceType type(String letter) {
        Integer typeCode = typeCodes.get(letter);
        return typeCode == null ? null : AeriesAbsenceType.of(typeCode);
    }

    @Override
    public String toString() {
        return "AeriesAbsenceCodes" + typeCodes;
    }
}
