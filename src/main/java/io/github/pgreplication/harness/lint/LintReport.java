package io.github.pgreplication.harness.lint;

import io.github.pgreplication.harness.guide.ManifestSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The findings of one lint run, in the formats its readers want: text for people, JSON for scripts, JUnit XML
 * for CI test reports, SARIF 2.1.0 for code scanning.
 */
public record LintReport(String name, Path manifestsDir, List<LintRule> rules, List<Finding> findings, Severity threshold) {

    public List<Finding> failing() {
        return findings.stream().filter(f -> f.severity().atLeast(threshold)).toList();
    }

    public List<Finding> of(String ruleId) {
        return findings.stream().filter(f -> f.ruleId().equals(ruleId)).toList();
    }

    public String text() {
        StringBuilder sb = new StringBuilder("lint of " + manifestsDir + ": " + findings.size() + " finding(s), "
                + failing().size() + " at or above " + threshold + "\n");
        findings.forEach(f -> sb.append(f).append('\n'));
        return sb.toString();
    }

    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("manifests", manifestsDir.toString());
        root.put("threshold", threshold.name());
        root.put("failing", failing().size());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Finding f : findings) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", f.ruleId());
            m.put("severity", f.severity().name());
            m.put("file", f.file());
            m.put("line", f.line());
            m.put("resource", f.resource());
            m.put("field", f.field());
            m.put("message", f.message());
            list.add(m);
        }
        root.put("findings", list);
        return ManifestSet.json(root);
    }

    /** One test case per rule; its findings at or above the threshold are failures, the others system-out. */
    public String junitXml() {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append("<testsuite name=\"lint ").append(xml(name)).append("\" tests=\"").append(rules.size())
                .append("\" failures=\"").append(rules.stream().filter(r -> of(r.id()).stream()
                        .anyMatch(f -> f.severity().atLeast(threshold))).count()).append("\">\n");
        for (LintRule r : rules) {
            sb.append("  <testcase classname=\"lint.").append(xml(name)).append("\" name=\"").append(r.id()).append(' ')
                    .append(xml(r.name())).append("\">\n");
            for (Finding f : of(r.id())) {
                if (f.severity().atLeast(threshold)) {
                    sb.append("    <failure type=\"").append(f.severity()).append("\" message=\"").append(xml(f.message()))
                            .append("\">").append(xml(f.toString())).append("</failure>\n");
                } else {
                    sb.append("    <system-out>").append(xml(f.toString())).append("</system-out>\n");
                }
            }
            sb.append("  </testcase>\n");
        }
        return sb.append("</testsuite>\n").toString();
    }

    /** SARIF 2.1.0, with the rules as the tool's rule descriptors and file and line locations. */
    public String sarif() {
        List<Map<String, Object>> ruleDescriptors = new ArrayList<>();
        for (LintRule r : rules) {
            ruleDescriptors.add(Map.of("id", r.id(), "name", r.name(),
                    "shortDescription", Map.of("text", r.name()),
                    "fullDescription", Map.of("text", r.rationale()),
                    "defaultConfiguration", Map.of("level", r.severity().sarifLevel())));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (Finding f : findings) {
            String uri = f.resource().equals("guide") ? "guide/" + f.file() : relative(f.file());
            results.add(Map.of("ruleId", f.ruleId(), "level", f.severity().sarifLevel(),
                    "message", Map.of("text", f.resource() + " " + f.field() + ": " + f.message()),
                    "locations", List.of(Map.of("physicalLocation", Map.of(
                            "artifactLocation", Map.of("uri", uri),
                            "region", Map.of("startLine", Math.max(1, f.line())))))));
        }
        Map<String, Object> run = Map.of("tool", Map.of("driver", Map.of("name", "pg-replication-harness-lint",
                "informationUri", "https://github.com/", "rules", ruleDescriptors)), "results", results);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        root.put("version", "2.1.0");
        root.put("runs", List.of(run));
        return ManifestSet.json(root);
    }

    private String relative(String file) {
        Path p = manifestsDir.resolve(file);
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
    }

    /** Writes the four formats as {@code <dir>/lint-<name>.{txt,json,junit.xml,sarif}}. */
    public List<Path> write(Path dir) {
        try {
            Files.createDirectories(dir);
            List<Path> out = new ArrayList<>();
            for (Map.Entry<String, String> e : Map.of("txt", text(), "json", json(), "junit.xml", junitXml(), "sarif", sarif())
                    .entrySet()) {
                Path p = dir.resolve("lint-" + name + "." + e.getKey());
                Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
                out.add(p);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the lint reports in " + dir, e);
        }
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
