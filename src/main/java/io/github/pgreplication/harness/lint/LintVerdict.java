package io.github.pgreplication.harness.lint;

import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.errata.Erratum;
import io.github.pgreplication.harness.errata.ErrataExpectation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lint's findings against the errata file, under the same rule as the features: on the guide as published
 * each erratum that names a lint rule must be found by it, and nothing else may fail; on the corrected
 * manifests nothing may fail at all; on a team's own manifests, failing findings fail unless recorded.
 */
public final class LintVerdict {

    private LintVerdict() {
    }

    /** The problems, empty when the lint agrees with the errata file. */
    public static List<String> problems(LintReport report, List<Erratum> errata, ErrataLedger ledger) {
        List<String> problems = new ArrayList<>();
        ErrataExpectation expectation = ledger.expectation();
        for (Finding f : report.failing()) {
            Optional<Erratum> recorded = errata.stream().filter(e -> f.ruleId().equals(e.lint())).findFirst();
            if (recorded.isEmpty()) {
                problems.add("unrecorded: " + f);
            } else if (expectation == ErrataExpectation.TEXT_ONLY && recorded.get().isManifestScope()) {
                problems.add("erratum " + recorded.get().id() + " is corrected in the corrected manifests, yet the lint still "
                        + "finds it: " + f);
            }
        }
        if (expectation == ErrataExpectation.ALL) {
            for (Erratum e : errata) {
                if (e.lint() != null && report.of(e.lint()).stream().noneMatch(f -> f.severity().atLeast(report.threshold()))) {
                    problems.add("erratum " + e.id() + " names lint rule " + e.lint() + ", which found nothing at or above "
                            + report.threshold());
                }
            }
        }
        return problems;
    }

    /** The failing findings no erratum names the rule of: what a run refuses whatever it expects of the errata. */
    public static List<Finding> unrecorded(LintReport report, List<Erratum> errata) {
        return report.failing().stream().filter(f -> errata.stream().noneMatch(e -> f.ruleId().equals(e.lint()))).toList();
    }

    /**
     * A finding of the rules run before adapting ({@link Rules#beforeAdapting()}, whose messages start with the guide's
     * step) as the preflight states it: the step, the file and line, the resource, the key, what works in no pod, and
     * the rule.
     */
    public static String refusal(Finding f) {
        int colon = f.message().indexOf(": ");
        String step = colon > 0 ? f.message().substring(0, colon) + ", " : "";
        String what = colon > 0 ? f.message().substring(colon + 2) : f.message();
        return step + f.file() + ":" + f.line() + ", " + f.resource() + ", key '" + f.field() + "': " + what + " (lint "
                + f.ruleId() + ", judged for a pod on a cluster before any backend adapts it)";
    }

    /**
     * Every rule whose failing findings differ between the published and the corrected manifests must be named
     * by an erratum: the errata file explains each difference.
     */
    public static List<String> unexplainedDifferences(LintReport published, LintReport corrected, List<Erratum> errata) {
        List<String> out = new ArrayList<>();
        for (LintRule r : published.rules()) {
            long p = published.of(r.id()).stream().filter(f -> f.severity().atLeast(published.threshold())).count();
            long c = corrected.of(r.id()).stream().filter(f -> f.severity().atLeast(corrected.threshold())).count();
            if (p != c && errata.stream().noneMatch(e -> r.id().equals(e.lint()))) {
                out.add(r.id() + " (" + r.name() + "): " + p + " finding(s) as published, " + c + " corrected, and no erratum names it");
            }
        }
        return out;
    }
}
