package dev.ioengine.cli;

import java.util.Locale;

/**
 * A minimal JSON writer (no library): objects, arrays, strings, numbers, booleans and null, indented by two
 * spaces. The caller nests {@code begin}/{@code end} calls correctly; names are given with {@link #name}, or with
 * the {@code field} shorthands inside objects. Non-finite doubles are written as null (JSON has no NaN).
 */
final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    private int depth;
    /** True when the next value is the first of its object or array. */
    private boolean first = true;
    /** True right after {@link #name}: the value follows on the same line. */
    private boolean afterName;

    JsonWriter beginObject() {
        beforeValue();
        out.append('{');
        depth++;
        first = true;
        return this;
    }

    JsonWriter endObject() {
        return end('}');
    }

    JsonWriter beginArray() {
        beforeValue();
        out.append('[');
        depth++;
        first = true;
        return this;
    }

    JsonWriter endArray() {
        return end(']');
    }

    private JsonWriter end(char close) {
        depth--;
        if (!first) {
            newline();
        }
        out.append(close);
        first = false;
        return this;
    }

    JsonWriter name(String name) {
        beforeValue();
        quote(name);
        out.append(": ");
        afterName = true;
        return this;
    }

    JsonWriter value(String s) {
        beforeValue();
        if (s == null) {
            out.append("null");
        } else {
            quote(s);
        }
        return this;
    }

    JsonWriter value(long n) {
        beforeValue();
        out.append(n);
        return this;
    }

    JsonWriter value(double d) {
        beforeValue();
        if (Double.isFinite(d)) {
            out.append(String.format(Locale.ROOT, "%.3f", d));
        } else {
            out.append("null");
        }
        return this;
    }

    JsonWriter value(boolean b) {
        beforeValue();
        out.append(b);
        return this;
    }

    JsonWriter field(String name, String value) {
        return name(name).value(value);
    }

    JsonWriter field(String name, long value) {
        return name(name).value(value);
    }

    JsonWriter field(String name, double value) {
        return name(name).value(value);
    }

    JsonWriter field(String name, boolean value) {
        return name(name).value(value);
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth > 0) {
            if (!first) {
                out.append(',');
            }
            newline();
        }
        first = false;
    }

    private void newline() {
        out.append('\n');
        out.append("  ".repeat(depth));
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
