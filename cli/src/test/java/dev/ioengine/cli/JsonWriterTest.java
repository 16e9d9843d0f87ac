package dev.ioengine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {
    @Test
    void writesNestedValuesThatParseBack() {
        String json = new JsonWriter().beginObject()
                .field("s", "quote \" backslash \\ newline \n tab \t bell \u0007")
                .field("n", 42)
                .field("x", 1.5)
                .field("nan", Double.NaN)
                .field("b", true)
                .field("none", (String) null)
                .name("empty").beginObject().endObject()
                .name("list").beginArray().value(1).value("two").beginObject().field("k", false).endObject()
                .endArray()
                .endObject().toString();
        Map<String, Object> m = JsonReader.object(JsonReader.parse(json));
        assertThat(m.get("s")).isEqualTo("quote \" backslash \\ newline \n tab \t bell \u0007");
        assertThat(m.get("n")).isEqualTo(42.0);
        assertThat(m.get("x")).isEqualTo(1.5);
        assertThat(m).containsEntry("nan", null).containsEntry("none", null).containsEntry("b", true);
        assertThat(m.get("empty")).isEqualTo(Map.of());
        assertThat(m.get("list")).isEqualTo(List.of(1.0, "two", Map.of("k", false)));
    }
}
