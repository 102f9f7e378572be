package io.github.pgreplication.harness.backend;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * What {@link OcVerbs}' {@code get} prints of a pod or a Secret, as kubectl 1.20 prints a cluster's: the object
 * {@code -o jsonpath} reads (a List where several are asked for), and the default table's rows, padded as kubectl's
 * tabwriter pads them, ages as apimachinery's HumanDuration writes them.
 */
final class OcPrinted {

    /** Strings unquoted unless YAML would read them as another type, as kubectl's go-yaml writes them. */
    private static final YAMLMapper YAML = YAMLMapper.builder().enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS).disable(YAMLWriteFeature.WRITE_DOC_START_MARKER).build();

    private OcPrinted() {
    }

    static Map<String, Object> list(List<Map<String, Object>> items) {
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("apiVersion", "v1");
        list.put("items", List.copyOf(items));
        list.put("kind", "List");
        list.put("metadata", Map.of("resourceVersion", "", "selfLink", ""));
        return list;
    }

    static Map<String, Object> podObject(AbstractPod p, String namespace) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", p.name());
        metadata.put("namespace", namespace);
        metadata.put("labels", Map.copyOf(p.labels()));
        metadata.put("creationTimestamp", p.created().toString());
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", p.plan().containerName());
        container.put("image", p.plan().image());
        Map<String, Object> pod = new LinkedHashMap<>();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        pod.put("metadata", metadata);
        pod.put("spec", Map.of("containers", List.of(container)));
        pod.put("status", Map.of("phase", p.isRunning() ? "Running" : "Failed"));
        return pod;
    }

    static String[] podRow(AbstractPod p) {
        return new String[] {p.name(), p.isRunning() ? "1/1" : "0/1", p.isRunning() ? "Running" : "Error", "0", age(p.created())};
    }

    static Map<String, Object> secretObject(OcSecrets.Secret s, String namespace) {
        Map<String, Object> data = new LinkedHashMap<>();
        s.data().forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        Map<String, Object> secret = new LinkedHashMap<>();
        secret.put("apiVersion", "v1");
        secret.put("data", data);
        secret.put("kind", "Secret");
        secret.put("metadata", Map.of("name", s.name(), "namespace", namespace, "creationTimestamp", s.created().toString()));
        secret.put("type", "Opaque");
        return secret;
    }

    /**
     * An object (or a List) as {@code -o yaml} prints it: its keys sorted, as kubectl's printer writes the API's JSON,
     * without a document marker.
     */
    static String yaml(Map<String, Object> object) {
        return YAML.writeValueAsString(sorted(object));
    }

    @SuppressWarnings("unchecked")
    private static Object sorted(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            m.forEach((k, v) -> out.put((String) k, sorted(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            return l.stream().map(OcPrinted::sorted).toList();
        }
        return o;
    }

    /**
     * {@code oc describe pod}, in kubectl 1.20's layout, of what these backends know of a pod: its name, namespace,
     * labels and status; each init container it ran after, with how it ended; its container, its image and state; its
     * conditions. No node, IP, mounts, volumes or events: nothing here schedules pods or records events.
     */
    static String podDescription(AbstractPod p, String namespace) {
        StringBuilder out = new StringBuilder();
        List<String> labels = p.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
        out.append(String.format("%-13s %s%n", "Name:", p.name()));
        out.append(String.format("%-13s %s%n", "Namespace:", namespace));
        out.append(String.format("%-13s %s%n", "Labels:", labels.isEmpty() ? "<none>" : labels.get(0)));
        labels.stream().skip(1).forEach(l -> out.append(String.format("%-13s %s%n", "", l)));
        out.append(String.format("%-13s %s%n", "Annotations:", "<none>"));
        out.append(String.format("%-13s %s%n", "Status:", p.isRunning() ? "Running" : "Failed"));
        Map<String, ContainerResult> inits = p.initContainers();
        if (!inits.isEmpty()) {
            out.append("Init Containers:\n");
            inits.forEach((name, r) -> out.append("  ").append(name).append(":\n")
                    .append(String.format("    %-15s %s%n", "State:", "Terminated"))
                    .append(String.format("      %-13s %s%n", "Reason:", r.succeeded() ? "Completed" : "Error"))
                    .append(String.format("      %-13s %d%n", "Exit Code:", r.exitCode()))
                    .append(String.format("    %-15s %s%n", "Ready:", r.succeeded() ? "True" : "False"))
                    .append(String.format("    %-15s %d%n", "Restart Count:", 0)));
        }
        String ready = p.isRunning() ? "True" : "False";
        out.append("Containers:\n  ").append(p.plan().containerName()).append(":\n")
                .append(String.format("    %-15s %s%n", "Image:", p.plan().image()))
                .append(String.format("    %-15s %s%n", "State:", p.isRunning() ? "Running" : "Terminated"))
                .append(String.format("    %-15s %s%n", "Ready:", ready))
                .append(String.format("    %-15s %d%n", "Restart Count:", 0));
        out.append("Conditions:\n").append(String.format("  %-17s %s%n", "Type", "Status"));
        out.append(String.format("  %-17s %s %n", "Initialized", inits.values().stream().allMatch(ContainerResult::succeeded)
                ? "True" : "False"));
        out.append(String.format("  %-17s %s %n", "Ready", ready));
        out.append(String.format("  %-17s %s %n", "ContainersReady", ready));
        return out.toString();
    }

    static String[] secretRow(OcSecrets.Secret s) {
        return new String[] {s.name(), "Opaque", Integer.toString(s.data().size()), age(s.created())};
    }

    /** Columns as kubectl's tabwriter pads them: each but the last to its widest cell plus three spaces. */
    static String table(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] r : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], r[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            for (int c = 0; c < columns; c++) {
                out.append(c == columns - 1 ? r[c] : String.format("%-" + (widths[c] + 3) + "s", r[c]));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** An age as kubectl prints it (apimachinery's HumanDuration). */
    static String age(Instant since) {
        return humanDuration(Duration.between(since, Instant.now()));
    }

    static String humanDuration(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        } else if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = seconds / 3600;
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        } else if (hours < 24 * 365 * 8) {
            long dy = hours / 24 % 365;
            return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
        }
        return hours / 24 / 365 + "y";
    }
}
