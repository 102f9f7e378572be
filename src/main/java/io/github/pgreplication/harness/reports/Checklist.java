package io.github.pgreplication.harness.reports;

import io.github.pgreplication.harness.guide.GuideDocument;
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
 * The guide's « Checklist de déploiement », verbatim, each item ticked from the scenarios that cover it
 * ({@code features/checklist.yaml}). An item no automation can check is "manual", never "passed".
 */
public final class Checklist {

    public enum Status { PASSED, FAILED, NOT_RUN, MANUAL, NOT_MAPPED }

    /** One item of the guide's checklist and how this run ticked it. */
    public record Item(String section, String text, Status status, String why, List<ScenarioOutcome> evidence) {
    }

    private record Mapping(List<String> scenarios, String manual, String note) {
    }

    private final Map<String, Mapping> mappings;

    private Checklist(Map<String, Mapping> mappings) {
        this.mappings = mappings;
    }

    @SuppressWarnings("unchecked")
    public static Checklist load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checklist mapping " + file, e);
        }
        Map<String, Object> root = (Map<String, Object>) ManifestSet.parseYaml(text);
        Map<String, Mapping> out = new LinkedHashMap<>();
        for (Object o : (List<Object>) root.getOrDefault("items", List.of())) {
            Map<String, Object> m = (Map<String, Object>) o;
            String item = (String) m.get("item");
            if (item == null || (m.get("scenarios") == null) == (m.get("manual") == null)) {
                throw new IllegalArgumentException(file + ": each item needs `item` and exactly one of `scenarios` or "
                        + "`manual` (at " + m + ")");
            }
            out.put(item, new Mapping((List<String>) m.get("scenarios"), (String) m.get("manual"), (String) m.get("note")));
        }
        return new Checklist(out);
    }

    /** Every item of the guide's checklist, in its order, ticked from the scenarios' outcomes. */
    public List<Item> tick(GuideDocument guide, List<ScenarioOutcome> scenarios) {
        List<Item> items = new ArrayList<>();
        for (String[] entry : guide.checklist()) {
            String section = entry[0];
            String text = entry[1];
            Mapping m = mappings.get(text);
            if (m == null) {
                items.add(new Item(section, text, Status.NOT_MAPPED, "no entry in features/checklist.yaml", List.of()));
            } else if (m.manual() != null) {
                items.add(new Item(section, text, Status.MANUAL, m.manual(), List.of()));
            } else {
                // a skipped scenario (one the backend cannot host) is no evidence either way
                List<ScenarioOutcome> covering = scenarios.stream().filter(s -> !s.tags().contains("@negative"))
                        .filter(s -> !s.skipped())
                        .filter(s -> s.tags().stream().anyMatch(m.scenarios()::contains)).toList();
                Status status = covering.isEmpty() ? Status.NOT_RUN
                        : covering.stream().allMatch(ScenarioOutcome::passed) ? Status.PASSED : Status.FAILED;
                items.add(new Item(section, text, status, m.note() == null ? "" : m.note(), covering));
            }
        }
        return items;
    }
}
