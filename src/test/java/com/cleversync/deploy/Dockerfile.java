package com.cleversync.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read as Docker reads it: logical lines (a trailing {@code \} continues a line, {@code #} lines are
 * comments, also inside a continuation), grouped into stages that each start with {@code FROM}.
 */
record Dockerfile(List<Stage> stages) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FROM = Pattern.compile("(\\S+)(?:\\s+AS\\s+(\\S+))?", Pattern.CASE_INSENSITIVE);
    private static final Pattern FLAG = Pattern.compile("--([a-z-]+)=(\\S+)\\s*");

    static Dockerfile read(Path file) throws IOException {
        List<Stage> stages = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String physical : Files.readAllLines(file)) {
            String trimmed = physical.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && line.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                line.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            line.append(trimmed);
            String[] keywordAndArguments = line.toString().strip().split("\\s+", 2);
            line.setLength(0);
            Instruction instruction = new Instruction(keywordAndArguments[0].toUpperCase(),
                    keywordAndArguments.length > 1 ? keywordAndArguments[1].strip() : "");
            if (instruction.keyword().equals("FROM")) {
                Matcher m = FROM.matcher(instruction.arguments());
                if (!m.matches()) {
                    throw new IllegalArgumentException("unreadable FROM " + instruction.arguments());
                }
                stages.add(new Stage(m.group(2), m.group(1), new ArrayList<>()));
            } else if (stages.isEmpty()) {
                throw new IllegalArgumentException(instruction.keyword() + " before the first FROM");
            } else {
                stages.get(stages.size() - 1).instructions().add(instruction);
            }
        }
        return new Dockerfile(List.copyOf(stages));
    }

    /** The stage that becomes the image: the last one. */
    Stage image() {
        return stages.get(stages.size() - 1);
    }

    Stage stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage named " + name));
    }

    record Stage(String name, String baseImage, List<Instruction> instructions) {
        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        /** The one that counts: for ENTRYPOINT, CMD, USER, WORKDIR and HEALTHCHECK, Docker takes the last. */
        Optional<Instruction> last(String keyword) {
            List<Instruction> all = all(keyword);
            return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
        }
    }

    record Instruction(String keyword, String arguments) {
        /** Leading {@code --name=value} options, e.g. COPY's {@code --from} and {@code --chown}. */
        Map<String, String> flags() {
            Map<String, String> flags = new LinkedHashMap<>();
            Matcher m = FLAG.matcher(arguments);
            int end = 0;
            while (m.find(end) && m.start() == end) {
                flags.put(m.group(1), m.group(2));
                end = m.end();
            }
            return flags;
        }

        /** The arguments after the leading options. */
        String operands() {
            Matcher m = FLAG.matcher(arguments);
            int end = 0;
            while (m.find(end) && m.start() == end) {
                end = m.end();
            }
            return arguments.substring(end);
        }

        /**
         * A command as Docker runs it: the exec form ({@code ["a", "b"]}) as it is, the shell form through
         * {@code /bin/sh -c}.
         */
        List<String> command() {
            return command(operands());
        }

        static List<String> command(String text) {
            if (text.startsWith("[")) {
                try {
                    return JSON.readValue(text, new TypeReference<List<String>>() { });
                } catch (IOException e) {
                    throw new IllegalArgumentException("unreadable exec form " + text, e);
                }
            }
            return List.of("/bin/sh", "-c", text);
        }

        /** ENV's {@code NAME=value NAME="a value"} pairs (a backslash escapes the next character). */
        Map<String, String> variables() {
            Map<String, String> variables = new LinkedHashMap<>();
            String text = arguments;
            int i = 0;
            while (i < text.length()) {
                while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                if (i >= text.length()) {
                    break;
                }
                int equals = text.indexOf('=', i);
                if (equals < 0) {
                    throw new IllegalArgumentException("ENV without NAME=value: " + text);
                }
                String name = text.substring(i, equals);
                StringBuilder value = new StringBuilder();
                i = equals + 1;
                char quote = 0;
                while (i < text.length() && (quote != 0 || !Character.isWhitespace(text.charAt(i)))) {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < text.length() && quote != '\'') {
                        value.append(text.charAt(i++));
                    } else if (quote == 0 && (c == '"' || c == '\'')) {
                        quote = c;
                    } else if (c == quote) {
                        quote = 0;
                    } else {
                        value.append(c);
                    }
                }
                variables.put(name, value.toString());
            }
            return variables;
        }

        /** Whitespace-separated words, or the JSON array form (VOLUME, EXPOSE). */
        List<String> words() {
            return arguments.startsWith("[") ? command(arguments) : List.of(arguments.split("\\s+"));
        }
    }
}
