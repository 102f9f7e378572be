package io.github.pgreplication.harness.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The jsonpath subset of oc get, printed as kubectl 1.20 prints it (the texts seen on the offline cluster). */
class OcJsonPathTest {

    private static Map<String, Object> pod(String name, Map<String, String> labels) {
        Map<String, Object> pod = new LinkedHashMap<>();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        pod.put("metadata", Map.of("name", name, "labels", labels));
        pod.put("status", Map.of("phase", "Running"));
        return pod;
    }

    private static Map<String, Object> list(List<Object> items) {
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("apiVersion", "v1");
        list.put("items", items);
        list.put("kind", "List");
        list.put("metadata", Map.of("resourceVersion", "", "selfLink", ""));
        return list;
    }

    private static final Map<String, Object> TWO = list(List.of(pod("postgresql-1", Map.of("name", "postgresql", "app", "postgresql")),
            pod("postgresql-slave-1", Map.of("name", "postgresql-slave", "role", "slave"))));

    private static String print(String template, Object root) {
        return OcJsonPath.parse(template).print(root);
    }

    @Test
    void theGuidesFirstItemsName() {
        assertThat(print("{.items[0].metadata.name}", TWO)).isEqualTo("postgresql-1");
        assertThat(print("$.items[1].metadata.name", TWO)).isEqualTo("$.items[1].metadata.name"); // no braces: text
        assertThat(print("{$.items[-1].metadata.name}", TWO)).isEqualTo("postgresql-slave-1");
    }

    @Test
    void severalResultsAreSeparatedByASpaceAndRangeRepeatsItsBody() {
        assertThat(print("{.items[*].metadata.name}", TWO)).isEqualTo("postgresql-1 postgresql-slave-1");
        assertThat(print("{range .items[*]}{.metadata.name}{\"\\t\"}{.status.phase}{\"\\n\"}{end}", TWO))
                .isEqualTo("postgresql-1\tRunning\npostgresql-slave-1\tRunning\n");
        assertThat(print("{range .items}[{.metadata.name}]{end}", TWO)).isEqualTo("[postgresql-1][postgresql-slave-1]");
        assertThat(print("name: {.items[0].metadata['name']}!", TWO)).isEqualTo("name: postgresql-1!");
    }

    @Test
    void aMapIsCompactJsonWithItsKeysSorted() {
        assertThat(print("{.items[0].metadata.labels}", TWO)).isEqualTo("{\"app\":\"postgresql\",\"name\":\"postgresql\"}");
        assertThat(OcJsonPath.json(Map.of("a", List.of("<x>", 1, true)))).isEqualTo("{\"a\":[\"\\u003cx\\u003e\",1,true]}");
    }

    @Test
    void aMissingKeyPrintsNothing() {
        assertThat(print("{.items[0].metadata.nosuch}", TWO)).isEmpty();
        assertThat(print("{.data.password}", Map.of("data", Map.of()))).isEmpty();
    }

    @Test
    void anIndexOutOfBoundsIsKubectlsError() {
        assertThatThrownBy(() -> print("{.items[0].metadata.name}", list(List.of()))).isInstanceOf(OcJsonPath.Failure.class)
                .hasMessage("error: error executing jsonpath \"{.items[0].metadata.name}\": Error executing template: array "
                        + "index out of bounds: index 0, length 0. Printing more information for debugging the template:\n"
                        + "\ttemplate was:\n\t\t{.items[0].metadata.name}\n\tobject given to jsonpath engine was:\n\t\t"
                        + "map[string]interface {}{\"apiVersion\":\"v1\", \"items\":[]interface {}{}, \"kind\":\"List\", "
                        + "\"metadata\":map[string]interface {}{\"resourceVersion\":\"\", \"selfLink\":\"\"}}\n\n\n");
    }

    @Test
    void filtersAndRecursiveDescentAreNotProvided() {
        assertThatThrownBy(() -> OcJsonPath.parse("{.items[?(@.metadata.name==\"x\")].metadata.name}"))
                .isInstanceOf(OcArgs.Unprovided.class);
        assertThatThrownBy(() -> OcJsonPath.parse("{..name}")).isInstanceOf(OcArgs.Unprovided.class);
    }

    @Test
    void anUnclosedTemplateIsAParseError() {
        assertThatThrownBy(() -> OcJsonPath.parse("{.items[0]")).isInstanceOf(OcJsonPath.Failure.class)
                .hasMessageStartingWith("error: error parsing jsonpath \"{.items[0]\"");
        assertThatThrownBy(() -> OcJsonPath.parse("{range .items[*]}{.metadata.name}")).isInstanceOf(OcJsonPath.Failure.class);
    }

    @Test
    void agesAsKubectlPrintsThem() {
        assertThat(OcPrinted.humanDuration(java.time.Duration.ofSeconds(3))).isEqualTo("3s");
        assertThat(OcPrinted.humanDuration(java.time.Duration.ofSeconds(119))).isEqualTo("119s");
        assertThat(OcPrinted.humanDuration(java.time.Duration.ofSeconds(150))).isEqualTo("2m30s");
        assertThat(OcPrinted.humanDuration(java.time.Duration.ofMinutes(45))).isEqualTo("45m");
        assertThat(OcPrinted.humanDuration(java.time.Duration.ofMinutes(200))).isEqualTo("3h20m");
        assertThat(OcPrinted.humanDuration(java.time.Duration.ofHours(30))).isEqualTo("30h");
        assertThat(OcPrinted.humanDuration(java.time.Duration.ofHours(50))).isEqualTo("2d2h");
    }

    @Test
    void selectorsAsKubernetesReadsThem() {
        Map<String, String> master = Map.of("name", "postgresql", "app", "postgresql");
        assertThat(OcSelector.parse("name=postgresql").matches(master)).isTrue();
        assertThat(OcSelector.parse("name==postgresql,app=postgresql").matches(master)).isTrue();
        assertThat(OcSelector.parse("role=slave").matches(master)).isFalse();
        assertThat(OcSelector.parse("role!=slave").matches(master)).as("!= matches a pod without the label").isTrue();
        assertThat(OcSelector.parse("name in (postgresql, other),app").matches(master)).isTrue();
        assertThat(OcSelector.parse("name notin (postgresql)").matches(master)).isFalse();
        assertThat(OcSelector.parse("!role").matches(master)).isTrue();
        assertThat(OcSelector.parse("").matches(master)).isTrue();
    }
}
