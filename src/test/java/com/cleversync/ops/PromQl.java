package com.cleversync.ops;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads: the names of its vector selectors. Knows just enough of
 * PromQL's lexical structure to tell a metric name from a function, a keyword, a label name (in
 * {@code {...}} or {@code by (...)}), a string, a number or duration, or a Grafana variable. It does not
 * check that the expression is valid PromQL: promtool does, in {@link DashboardTest}.
 */
final class PromQl {
    /** Words that are aggregations, operators, modifiers or literals, never metric names (any case, as in PromQL). */
    private static final Set<String> KEYWORDS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar", "count",
            "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "and", "or", "unless", "offset", "atan2", "inf", "nan");
    /** Modifiers whose parentheses list label names, not expressions. */
    private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Pattern LABEL_VALUES = Pattern.compile(
            "\\s*label_values\\((?:(.*),)?\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)\\s*", Pattern.DOTALL);
    private static final Pattern QUERY_RESULT = Pattern.compile("\\s*query_result\\((.*)\\)\\s*", Pattern.DOTALL);

    private PromQl() {}

    /** The metric names the expressions read, together. */
    static Set<String> metricNames(Collection<String> expressions) {
        Set<String> names = new TreeSet<>();
        expressions.forEach(e -> names.addAll(metricNames(e)));
        return names;
    }

    static Set<String> metricNames(String expression) {
        Set<String> names = new TreeSet<>();
        int i = 0;
        while (i < expression.length()) {
            char c = expression.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = afterString(expression, i);
            } else if (c == '{') {
                i = after(expression, i, '}'); // label matchers
            } else if (c == '[') {
                i = after(expression, i, ']'); // a range or subquery: durations, or Grafana's $__rate_interval
            } else if (c == '#') {
                int endOfLine = expression.indexOf('\n', i); // a comment
                i = endOfLine < 0 ? expression.length() : endOfLine;
            } else if (c == '$' || c >= '0' && c <= '9' || c == '.') {
                // a Grafana variable ($school, ${school:regex}), a number or a duration (5m, 1e3, 0x1f, 1h30m)
                i = c == '$' && i + 1 < expression.length() && expression.charAt(i + 1) == '{'
                        ? after(expression, i + 1, '}') : end(expression, i + 1, true);
            } else if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':') {
                int end = end(expression, i, false);
                String word = expression.substring(i, end);
                int next = end;
                while (next < expression.length() && Character.isWhitespace(expression.charAt(next))) {
                    next++;
                }
                boolean call = next < expression.length() && expression.charAt(next) == '(';
                if (call && LABEL_LISTS.contains(word.toLowerCase())) {
                    end = after(expression, next, ')');
                } else if (!call && !KEYWORDS.contains(word.toLowerCase())) {
                    names.add(word);
                }
                i = end;
            } else {
                i++;
            }
        }
        return names;
    }

    /**
     * The PromQL in a Grafana Prometheus variable query: {@code label_values(<expr>, <label>)} or
     * {@code query_result(<expr>)}, and none in {@code label_values(<label>)}. Any other kind of query is
     * refused, so that a test cannot quietly skip what it does not read.
     */
    static String ofVariableQuery(String query) {
        Matcher labelValues = LABEL_VALUES.matcher(query);
        if (labelValues.matches()) {
            return labelValues.group(1) == null ? "" : labelValues.group(1);
        }
        Matcher queryResult = QUERY_RESULT.matcher(query);
        if (queryResult.matches()) {
            return queryResult.group(1);
        }
        throw new IllegalArgumentException("not a label_values or query_result variable query: " + query);
    }

    /** The end of a word: [a-zA-Z0-9_:]*, and dots in a number. */
    private static int end(String expression, int from, boolean dots) {
        int i = from;
        while (i < expression.length()) {
            char c = expression.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == ':'
                    || dots && c == '.')) {
                break;
            }
            i++;
        }
        return i;
    }

    /** Just after the {@code close} that ends what opens at {@code open}, stepping over strings. */
    private static int after(String expression, int open, char close) {
        int i = open + 1;
        while (i < expression.length() && expression.charAt(i) != close) {
            char c = expression.charAt(i);
            i = c == '"' || c == '\'' || c == '`' ? afterString(expression, i) : i + 1;
        }
        return Math.min(i + 1, expression.length());
    }

    /** Just after the string that starts at {@code quote} (backslash escapes, except in a `raw` string). */
    private static int afterString(String expression, int quote) {
        char delimiter = expression.charAt(quote);
        int i = quote + 1;
        while (i < expression.length() && expression.charAt(i) != delimiter) {
            i += delimiter != '`' && expression.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i + 1, expression.length());
    }
}
