package io.github.pgreplication.harness.reports;

import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.guide.GuideQuery;
import io.github.pgreplication.harness.procedure.ClusterCommands;
import io.github.pgreplication.harness.run.Evidence;
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
     * run as written are listed with how many of their commands did, and why the others did not ({@link #whyNot}).
     *
     * @param ran         what ran as written ({@code command#<step>/<line>})
     * @param notProvided what a line the backend's {@code oc} does not provide printed, by its item
     *                    ({@code command-not-provided#<step>/<line>})
     */
    static Count shellBlocks(GuideDocument guide, Set<String> ran, Map<String, String> notProvided,
                             List<ScenarioOutcome> scenarios, String backend) {
        int total = 0;
        List<String> not = new ArrayList<>();
        for (GuideDocument.CodeBlock b : guide.blocks()) {
            List<String> commands = b.language().equals("bash") ? b.commands() : List.of();
            if (commands.isEmpty()) {
                continue;
            }
            total++;
            List<String> missing = commands.stream().filter(c -> !ran.contains("command#" + b.step() + "/" + c)).toList();
            if (!missing.isEmpty()) {
                int done = commands.size() - missing.size();
                not.add(b.heading() + " (line " + b.line() + "): " + (done == 0 ? "not run as written"
                        : done + " of its " + commands.size() + " commands run as written") + " — "
                        + whyNot(b.step(), missing, notProvided, covering(scenarios, b.step()), backend));
            }
        }
        return new Count("shell blocks run as written, every command (" + backend + ")", total - not.size(), total, not);
    }

    /**
     * Why lines of a step's block did not run as written: what the backend's {@code oc} said of those it does not
     * provide; else the harness applies its manifest itself, or no scenario runs it; else its scenarios were not run
     * on this backend (what they need, as the verdict says it), or did not pass, or some were not run and those that ran
     * do not run it whole; else the lines no scenario ran (a command of several lines by its first line).
     */
    static String whyNot(String step, List<String> missing, Map<String, String> notProvided,
                         List<ScenarioOutcome> covering, String backend) {
        List<String> refused = missing.stream().map(c -> notProvided.get(ClusterCommands.NOT_PROVIDED + step + "/" + c))
                .filter(java.util.Objects::nonNull)
                .map(out -> out.lines().filter(l -> l.contains(" is not provided by the ")).findFirst().orElse(out.strip()))
                .distinct().toList();
        if (!refused.isEmpty()) {
            return String.join("; ", refused.stream().map(r -> "`" + r + "`").toList());
        }
        if (covering.isEmpty()) {
            return APPLIED_BY_PROCEDURE.contains(step)
                    ? "the harness applies this step's manifest itself, from the manifests under test"
                    : "no scenario runs this section";
        }
        List<ScenarioOutcome> skipped = covering.stream().filter(ScenarioOutcome::skipped).toList();
        String needs = String.join("; ", skipped.stream().map(s -> Verdict.need(s.message())).distinct()
                .map(n -> n.startsWith(Verdict.OTHER) ? n.substring(Verdict.OTHER.length()) : "needs " + n).toList());
        if (skipped.size() == covering.size()) {
            return "its scenarios were not run on the " + backend + " backend (" + needs + ")";
        }
        if (covering.stream().noneMatch(ScenarioOutcome::passed)) {
            return "its scenarios did not pass";
        }
        if (!skipped.isEmpty()) {
            return "of its scenarios, " + skipped.size() + (skipped.size() == 1 ? " was" : " were") + " not run on the "
                    + backend + " backend (" + needs
                    + "); those that ran do not run it whole as typed";
        }
        return "no scenario that ran on the " + backend + " backend runs "
                + String.join(", ", missing.stream().map(c -> "`" + c.lines().findFirst().orElse(c)
                        + (c.contains("\n") ? " …" : "") + "`").toList());
    }

    /** What each line the backend's {@code oc} does not provide printed, by its item ({@code command-not-provided#…}). */
    static Map<String, String> notProvided(List<Evidence.Execution> executions) {
        return executions.stream().filter(e -> e.item().startsWith(ClusterCommands.NOT_PROVIDED))
                .collect(java.util.stream.Collectors.toMap(Evidence.Execution::item, Evidence.Execution::output, (a, b) -> a));
    }

    /** The scenarios that certify a step, its negative ones aside (they break a pair on purpose). */
    static List<ScenarioOutcome> covering(List<ScenarioOutcome> scenarios, String step) {
        return scenarios.stream().filter(s -> s.tags().contains("@guide-" + step) && !s.tags().contains("@negative")).toList();
    }

    /**
     * @param executed  the guide's items this run executed (its queries, scripts, manifests' checks)
     * @param ran         what ran as written and was recorded ({@code command#<step>/<line>} for each shell command)
     * @param notProvided what each line the backend's {@code oc} does not provide printed, by its item
     * @param backend     the backend the shell blocks ran on, as the count names it
     */
    public static List<Count> of(GuideDocument guide, Set<String> executed, Set<String> ran, Map<String, String> notProvided,
                                 String backend,
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

        out.add(shellBlocks(guide, ran, notProvided, scenarios, backend));

        List<String> checklistNot = checklist.stream().filter(i -> i.status() != Checklist.Status.PASSED)
                .map(i -> i.text() + " (" + i.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")")
                .toList();
        out.add(new Count("checklist items ticked by a passing scenario", checklist.size() - checklistNot.size(),
                checklist.size(), checklistNot));
        return out;
    }
}
