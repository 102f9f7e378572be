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
