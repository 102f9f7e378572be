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

    /**
     * The guide's shell blocks (```bash, with at least one command) each of whose commands ran as written in a shell
     * (the procedure's ClusterCommands: the cluster's {@code oc}, or a backend's own); a block is covered only whole. Those not
     * run as written are listed with how many of their commands did.
     */
    static Count shellBlocks(GuideDocument guide, Set<String> ran, String backend) {
        int total = 0;
        List<String> not = new ArrayList<>();
        for (GuideDocument.CodeBlock b : guide.blocks()) {
            List<String> commands = b.language().equals("bash") ? b.commands() : List.of();
            if (commands.isEmpty()) {
                continue;
            }
            total++;
            long done = commands.stream().filter(c -> ran.contains("command#" + b.step() + "/" + c)).count();
            if (done < commands.size()) {
                not.add(b.heading() + " (line " + b.line() + "): " + (done == 0 ? "not run as written"
                        : done + " of its " + commands.size() + " commands run as written"));
            }
        }
        return new Count("shell blocks run as written, every command (" + backend + ")", total - not.size(), total, not);
    }

    /**
     * @param executed  the guide's items this run executed (its queries, scripts, manifests' checks)
     * @param ran       what ran as written and was recorded ({@code command#<step>/<line>} for each shell command)
     * @param backend   the backend the shell blocks ran on, as the count names it
     */
    public static List<Count> of(GuideDocument guide, Set<String> executed, Set<String> ran, String backend,
                                 List<ScenarioOutcome> scenarios, List<Checklist.Item> checklist) {
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

        out.add(shellBlocks(guide, ran, backend));

        List<String> checklistNot = checklist.stream().filter(i -> i.status() != Checklist.Status.PASSED)
                .map(i -> i.text() + " (" + i.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")")
                .toList();
        out.add(new Count("checklist items ticked by a passing scenario", checklist.size() - checklistNot.size(),
                checklist.size(), checklistNot));
        return out;
    }
}
