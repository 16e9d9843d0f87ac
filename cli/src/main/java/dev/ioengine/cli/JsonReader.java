package dev.ioengine.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict little JSON parser (no library): objects become {@link LinkedHashMap}s, arrays {@link List}s, numbers
 * {@link Double}s, and true/false/null themselves. Reads fio's {@code --output-format=json} for
 * {@code bench --compare}, and the tests read the tool's own JSON with it.
 */
final class JsonReader {
    private final String text;
    private int at;

    private JsonReader(String text) {
        this.text = text;
    }

    /** Parses a whole JSON text. @throws IllegalArgumentException saying where it is malformed */
    static Object parse(String text) {
        JsonReader p = new JsonReader(text);
        try {
            Object value = p.value();
            p.skipSpace();
            if (p.at != text.length()) {
                throw p.error("trailing characters");
            }
            return value;
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            throw p.error("truncated or malformed JSON (" + e.getMessage() + ")");
        }
    }

    /** The value as a JSON object. @throws IllegalArgumentException if it is not one */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("not an object: " + value);
        }
        return (Map<String, Object>) value;
    }

    /**
     * The value reached from {@code root} through {@code steps}: a String is an object's key, an Integer a list's
     * index.
     *
     * @throws IllegalArgumentException naming {@code what} and the path ("fio's JSON has no jobs[0].read.iops")
     *     when a step is missing, null or of the wrong kind
     */
    static Object required(Object root, String what, Object... steps) {
        Object at = root;
        StringBuilder path = new StringBuilder();
        for (Object step : steps) {
            if (step instanceof Integer index) {
                path.append('[').append(index).append(']');
                at = at instanceof List<?> list && index < list.size() ? list.get(index) : null;
            } else {
                path.append(path.isEmpty() ? "" : ".").append(step);
                at = at instanceof Map<?, ?> map ? map.get(step) : null;
            }
            if (at == null) {
                throw new IllegalArgumentException(what + " has no " + path);
            }
        }
        return at;
    }

    /** The number reached through {@code steps}; see {@link #required}. */
    static double requiredNumber(Object root, String what, Object... steps) {
        if (!(required(root, what, steps) instanceof Double d)) {
            throw new IllegalArgumentException(what + ": " + java.util.Arrays.toString(steps) + " is not a number");
        }
        return d;
    }

    private Object value() {
        skipSpace();
        if (at >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> objectValue();
            case '[' -> arrayValue();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> objectValue() {
        Map<String, Object> map = new LinkedHashMap<>();
        at++;
        skipSpace();
        if (peek() == '}') {
            at++;
            return map;
        }
        while (true) {
            skipSpace();
            String key = string();
            skipSpace();
            expect(':');
            if (map.put(key, value()) != null) {
                throw error("duplicate key " + key);
            }
            skipSpace();
            char c = text.charAt(at++);
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                throw error("expected , or }");
            }
        }
    }

    private List<Object> arrayValue() {
        List<Object> list = new ArrayList<>();
        at++;
        skipSpace();
        if (peek() == ']') {
            at++;
            return list;
        }
        while (true) {
            list.add(value());
            skipSpace();
            char c = text.charAt(at++);
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                throw error("expected , or ]");
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = text.charAt(at++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("control character in string");
            }
            if (c == '\\') {
                char e = text.charAt(at++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> throw error("bad escape");
                }
            } else {
                sb.append(c);
            }
        }
    }

    private Double number() {
        int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        String n = text.substring(start, at);
        if (!n.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            throw error("bad number '" + n + "'");
        }
        return Double.valueOf(n);
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw error("bad literal");
        }
        at += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected " + c);
        }
        at++;
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private void skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private IllegalArgumentException error(String what) {
        int from = Math.min(Math.max(0, at - 40), text.length());
        return new IllegalArgumentException(what + " at " + at + " in: "
                + text.substring(from, Math.min(text.length(), Math.max(from, at + 40))));
    }
}
