package io.github.pgreplication.harness.reports;

import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.errata.Erratum;
import io.github.pgreplication.harness.procedure.RunRecord;
import io.github.pgreplication.harness.run.Evidence;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's results as the pages give them: each guide step's result and why, each erratum's, each scenario's anchor, and
 * what each part of the guide run as written did. Read from the run's record and its scenarios' outcomes; nothing is
 * asked of a backend.
 */
final class RunResults {

    /** A result and why, in a few plain words, with the scenarios behind it. */
    record Outcome(Result result, String why, List<ScenarioOutcome> scenarios) {
    }

    private final RunRecord run;
    private final Path reportsDir;
    private final List<ScenarioOutcome> scenarios;
    private final Map<ScenarioOutcome, Integer> index = new IdentityHashMap<>();
    private final Map<String, Evidence.Execution> executions = new LinkedHashMap<>();

    RunResults(RunRecord run, List<ScenarioOutcome> scenarios, Path reportsDir) {
        this.run = run;
        this.reportsDir = reportsDir.toAbsolutePath().normalize();
        this.scenarios = List.copyOf(scenarios);
        for (int i = 0; i < this.scenarios.size(); i++) {
            index.put(this.scenarios.get(i), i + 1);
        }
        run.evidence().executions().forEach(e -> executions.put(e.item(), e));
    }

    RunRecord run() {
        return run;
    }

    /** Where the run's pages go: their links are relative to it. */
    Path reportsDir() {
        return reportsDir;
    }

    List<ScenarioOutcome> scenarios() {
        return scenarios;
    }

    String anchor(ScenarioOutcome s) {
        return "scenario-" + index.get(s);
    }

    Optional<Evidence.Execution> execution(String item) {
        return Optional.ofNullable(executions.get(item));
    }

    /** What ran of the guide's command lines of a step: {@code command#<step>/<line>} items. */
    List<Evidence.Execution> commandsOf(String step) {
        return executions.values().stream().filter(e -> e.item().startsWith("command#" + step + "/")).toList();
    }

    /** What each line the backend's {@code oc} does not provide printed, by its item. */
    Map<String, String> notProvided() {
        return GuideCoverage.notProvided(List.copyOf(executions.values()));
    }

    /** The scenarios that certify a step (tagged {@code @guide-<step>}), negative ones left out. */
    List<ScenarioOutcome> covering(String step) {
        return GuideCoverage.covering(scenarios, step);
    }

    /** The errata of a step that this run saw reproduce. */
    List<Erratum> reproduced(String step) {
        return run.ledger().catalog().all().stream().filter(e -> e.step().equals(step))
                .filter(e -> status(e) == ErrataLedger.Status.REPRODUCED).toList();
    }

    ErrataLedger.Status status(Erratum e) {
        return run.ledger().entryFor(e).map(ErrataLedger.Entry::status).orElse(null);
    }

    /**
     * A step's result from the scenarios that cover it: a skipped scenario (one the backend cannot host) is neither a
     * pass nor a failure; a step whose every scenario was skipped was not run.
     */
    Outcome step(String step) {
        List<ScenarioOutcome> covering = covering(step);
        List<ScenarioOutcome> ran = covering.stream().filter(s -> !s.skipped()).toList();
        long failed = ran.stream().filter(s -> !s.passed()).count();
        List<String> errata = reproduced(step).stream().map(Erratum::id).toList();
        String with = errata.isEmpty() ? "" : "; " + String.join(", ", errata) + " reproduced, the run went on with the correction";
        if (covering.isEmpty()) {
            return GuideCoverage.APPLIED_BY_PROCEDURE.contains(step)
                    ? new Outcome(errata.isEmpty() ? Result.PASSED : Result.ERRATUM,
                    "applied by the procedure, and used by the later steps that passed" + with, covering)
                    : new Outcome(Result.NOT_RUN, "no scenario of this run certifies this section", covering);
        }
        if (ran.isEmpty()) {
            return new Outcome(Result.NOT_RUN, "its " + covering.size() + " scenario(s) need what this backend cannot host "
                    + "(skipped)", covering);
        }
        if (failed > 0) {
            return new Outcome(Result.FAILED, failed + " of " + ran.size() + " scenario(s) failed" + with, covering);
        }
        long skipped = covering.size() - ran.size();
        return new Outcome(errata.isEmpty() ? Result.PASSED : Result.ERRATUM, ran.size() + " scenario(s) passed"
                + (skipped == 0 ? "" : ", " + skipped + " skipped (not passed)") + with, covering);
    }

    /** An erratum's result in this run: reproduced (erratum), gone (passed: the manifests under test correct it), not exercised. */
    Outcome erratum(Erratum e) {
        ErrataLedger.Status s = status(e);
        List<ScenarioOutcome> proving = scenarios.stream().filter(o -> o.tags().contains("@erratum-" + e.id())).toList();
        if (s == ErrataLedger.Status.REPRODUCED) {
            return new Outcome(Result.ERRATUM, "reproduced in this run", proving);
        }
        if (s == ErrataLedger.Status.NOT_REPRODUCED) {
            boolean must = run.ledger().mustReproduce(e);
            return new Outcome(must ? Result.FAILED : Result.PASSED, must ? "did not reproduce, and this run must see it"
                    : "did not reproduce: the manifests under test correct it", proving);
        }
        if (s == ErrataLedger.Status.UNRECORDED) {
            return new Outcome(Result.FAILED, "deviated otherwise than recorded", proving);
        }
        return new Outcome(Result.NOT_RUN, proving.stream().allMatch(ScenarioOutcome::skipped) && !proving.isEmpty()
                ? "its scenario needs what this backend cannot host (skipped)" : "not exercised by this run", proving);
    }
}
