package io.github.pgreplication.harness.lint;

import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.guide.ManifestSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Runs every rule on a manifests directory. */
public final class Linter {

    private final List<LintRule> rules;
    private final Severity threshold;

    public Linter(List<LintRule> rules, Severity threshold) {
        this.rules = rules;
        this.threshold = threshold;
    }

    public static Linter standard(Severity threshold) {
        return new Linter(Rules.all(), threshold);
    }

    public List<LintRule> rules() {
        return rules;
    }

    public LintReport lint(String name, Path manifestsDir, Optional<GuideDocument> guide, int targetMajor,
                           Optional<Set<String>> knownParameters) {
        return lint(name, ManifestSet.load(manifestsDir), guide, targetMajor, knownParameters, Optional.empty());
    }

    /** The same on manifests already loaded, with the cluster's pod network when the team gives it. */
    public LintReport lint(String name, ManifestSet manifests, Optional<GuideDocument> guide, int targetMajor,
                           Optional<Set<String>> knownParameters, Optional<String> podCidr) {
        Path manifestsDir = manifests.dir();
        LintContext ctx = new LintContext(manifests, guide, targetMajor, knownParameters, podCidr);
        List<Finding> findings = new ArrayList<>();
        for (LintRule r : rules) {
            findings.addAll(r.run(ctx));
        }
        findings.sort(Comparator.comparing(Finding::severity).reversed().thenComparing(Finding::ruleId)
                .thenComparing(Finding::file));
        return new LintReport(name, manifestsDir, rules, List.copyOf(findings), threshold);
    }
}
