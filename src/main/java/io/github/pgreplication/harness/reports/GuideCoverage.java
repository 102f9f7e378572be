package io.github.pgreplication.harness.reports;

import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.guide.GuideQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How much of the guide this run executed: its sections with commands or manifests, its psql queries, its
 * checklist items; with the list of what was not.
 */
public final class GuideCoverage {

    /** Sections whose only content is resources the procedure applies and later steps use. */
    static final Set<String> APPLIED_BY_PROCEDURE = Set.of("1.2", "1.3", "1.4", "2.1", "2.2");

    /** One count: covered of total, and what is not covered. */
    public record Count(String what, int covered, int total, List<String> notCovered) {
        public String percent() {
            return total == 0 ? "-" : Math.round(100.0 * covered / total) + " %";
        }
    }

    private GuideCoverage() {
    }

    public static List<Count> of(GuideDocument guide, Set<String> executed, List<ScenarioOutcome> scenarios,
                                 List<Checklist.Item> checklist) {
        List<Count> out = new ArrayList<>();

        Map<String, String> sections = new LinkedHashMap<>();
        for (GuideDocument.CodeBlock b : guide.blocks()) {
            sections.putIfAbsent(b.step(), b.heading());
        }
        List<String> sectionsNot = new ArrayList<>();
        int sectionsCovered = 0;
        for (Map.Entry<String, String> s : sections.entrySet()) {
            boolean passed = scenarios.stream().anyMatch(o -> o.passed() && !o.tags().contains("@negative")
                    && o.tags().contains("@guide-" + s.getKey()));
            if (passed || APPLIED_BY_PROCEDURE.contains(s.getKey())) {
                sectionsCovered++;
            } else {
                sectionsNot.add(s.getValue());
            }
        }
        out.add(new Count("sections with commands or manifests", sectionsCovered, sections.size(), sectionsNot));

        List<GuideQuery> queries = guide.queries();
        List<String> queriesNot = queries.stream().filter(q -> !executed.contains(q.item()))
                .map(q -> q.item() + " (line " + q.line() + ")").toList();
        out.add(new Count("psql queries run verbatim", queries.size() - queriesNot.size(), queries.size(), queriesNot));

        List<String> checklistNot = checklist.stream().filter(i -> i.status() != Checklist.Status.PASSED)
                .map(i -> i.text() + " (" + i.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")")
                .toList();
        out.add(new Count("checklist items ticked by a passing scenario", checklist.size() - checklistNot.size(),
                checklist.size(), checklistNot));
        return out;
    }
}
