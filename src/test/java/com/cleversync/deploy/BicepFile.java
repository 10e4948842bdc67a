package com.cleversync.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Bicep (or .bicepparam) file read as text, for tests on a machine without the Bicep CLI: its
 * declarations, and its expressions with comments removed and string literals blanked except for their
 * {@code ${…}} interpolations. Enough to find the names a file declares and the names it uses; no type
 * checking, no evaluation, nothing of what Azure would say about a property.
 */
final class BicepFile {
    private static final Pattern PARAM = Pattern.compile("(?m)^param\\s+(\\w+)(?:\\s+(\\w+))?(\\s*=)?");
    private static final Pattern VAR = Pattern.compile("(?m)^var\\s+(\\w+)\\s*=");
    private static final Pattern RESOURCE = Pattern.compile("(?m)^resource\\s+(\\w+)\\s+'([^'@]+)@([^']+)'");
    private static final Pattern LOOP_OR_LAMBDA = Pattern.compile(
            "for\\s+(\\w+)\\s+in\\b|for\\s*\\(\\s*(\\w+)\\s*,\\s*(\\w+)\\s*\\)\\s*in\\b|(\\w+)\\s*=>|\\(\\s*(\\w+)\\s*,\\s*(\\w+)\\s*\\)\\s*=>");
    /** An identifier in an expression: not a property after '.', not a decorator, not a function called. */
    private static final Pattern NAME_USED = Pattern.compile("(?<![.\\w@$])([A-Za-z_]\\w*)(?!\\w)(?!\\s*\\()");
    /** An object's key, which starts its line (Bicep puts one property on each line). */
    private static final Pattern KEY = Pattern.compile("^\\s*[A-Za-z_]\\w*\\s*:");
    private static final Set<String> KEYWORDS = Set.of("true", "false", "null", "if", "for", "in", "existing",
            "param", "var", "resource", "output", "module", "targetScope", "using", "import", "type", "func", "metadata",
            "string", "int", "bool", "object", "array", "any", "az", "sys");

    final String text;
    /** The text without comments. */
    final String source;
    /** The expressions: no comments, string literals blanked but for their interpolations. */
    final String code;
    /** Parameters by name, each with the decorators written above it. */
    final Map<String, Param> params = new LinkedHashMap<>();
    final Set<String> vars = new LinkedHashSet<>();
    /** Resources by symbolic name. */
    final Map<String, Resource> resources = new LinkedHashMap<>();

    record Param(String name, String type, boolean hasDefault, String decorators) {}

    record Resource(String symbol, String type, String apiVersion) {}

    BicepFile(Path file) throws IOException {
        text = Files.readString(file);
        source = read(text, false);
        code = read(text, true);
        Matcher p = PARAM.matcher(source);
        int previous = 0;
        while (p.find()) {
            // the decorators of a parameter: what stands between the previous parameter's line and its own
            String decorators = source.substring(previous, p.start());
            params.put(p.group(1), new Param(p.group(1), p.group(2), p.group(3) != null, decorators));
            int endOfLine = source.indexOf('\n', p.end());
            previous = endOfLine < 0 ? source.length() : endOfLine;
        }
        Matcher v = VAR.matcher(source);
        while (v.find()) {
            vars.add(v.group(1));
        }
        Matcher r = RESOURCE.matcher(source);
        while (r.find()) {
            resources.put(r.group(1), new Resource(r.group(1), r.group(2), r.group(3)));
        }
    }

    /** Names bound by {@code for x in} loops and lambdas. */
    Set<String> boundNames() {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = LOOP_OR_LAMBDA.matcher(code);
        while (m.find()) {
            for (int g = 1; g <= m.groupCount(); g++) {
                if (m.group(g) != null) {
                    names.add(m.group(g));
                }
            }
        }
        return names;
    }

    /**
     * Every name an expression uses, in order of appearance: what follows {@code =} in a declaration
     * and everything inside resource and object bodies, without keywords, property names and functions.
     */
    List<String> namesUsed() {
        List<String> used = new ArrayList<>();
        for (String line : code.split("\n")) {
            String expression = line;
            if (line.matches("^(param|var|output|resource|targetScope)\\b.*")) {
                int assignment = line.indexOf('=');
                expression = assignment < 0 ? "" : line.substring(assignment + 1);
            }
            Matcher m = NAME_USED.matcher(KEY.matcher(expression).replaceFirst(""));
            while (m.find()) {
                if (!KEYWORDS.contains(m.group(1))) {
                    used.add(m.group(1));
                }
            }
        }
        return used;
    }

    /** The text of a resource's declaration, from its line to its closing brace. */
    String resourceBody(String symbol) {
        Matcher m = Pattern.compile("(?m)^resource\\s+" + symbol + "\\s.*$").matcher(source);
        if (!m.find()) {
            throw new AssertionError("no resource " + symbol);
        }
        int end = source.indexOf("\n}", m.start());
        return source.substring(m.start(), end + 2);
    }

    /** The text without comments; with {@code blankStrings}, string literals blanked but for their interpolations. */
    private static String read(String text, boolean blankStrings) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("//", i)) {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? text.length() : end + 2;
            } else if (text.startsWith("'''", i)) {
                int end = text.indexOf("'''", i + 3);
                int stop = end < 0 ? text.length() : end + 3;
                out.append(blankStrings ? "''" : text.substring(i, stop));
                i = stop;
            } else if (text.charAt(i) == '\'') {
                i = string(text, i, out, blankStrings);
            } else {
                out.append(text.charAt(i++));
            }
        }
        return out.toString();
    }

    /** Copies the string literal starting at {@code start}; returns the index after it. */
    private static int string(String text, int start, StringBuilder out, boolean blank) {
        out.append('\'');
        int i = start + 1;
        while (i < text.length() && text.charAt(i) != '\'') {
            if (text.charAt(i) == '\\' && i + 1 < text.length()) {
                out.append(blank ? "  " : text.substring(i, i + 2));
                i += 2;
            } else if (text.startsWith("${", i)) {
                int depth = 0;
                int j = i + 2;
                StringBuilder expression = new StringBuilder();
                while (j < text.length() && !(text.charAt(j) == '}' && depth == 0)) {
                    char c = text.charAt(j);
                    if (c == '{') {
                        depth++;
                    } else if (c == '}') {
                        depth--;
                    }
                    if (c == '\'') {
                        j = string(text, j, expression, blank);
                        continue;
                    }
                    expression.append(c);
                    j++;
                }
                out.append(blank ? " " + expression + " " : "${" + expression + "}");
                i = j + 1;
            } else {
                out.append(blank ? " " : String.valueOf(text.charAt(i)));
                i++;
            }
        }
        out.append('\'');
        return i + 1;
    }
}
