package io.github.pgreplication.harness.reports;

import io.github.pgreplication.harness.backend.BackendDescription;
import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.procedure.RunRecord;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The run's verdict, given in one place: the report's first line, the line {@code bin/certify} ends with, its exit
 * status, and whether the run fails under Failsafe all read this record. CERTIFIED when no scenario failed, at least
 * one passed, and the errata file accounts for the run; NOT CERTIFIED otherwise. A skipped scenario (one this backend
 * cannot host) is neither passed nor failed: the sentence says how many were not run, and why.
 *
 * @param where          where the scenarios ran, « on local processes (PostgreSQL 15) » (it decides nothing)
 * @param passed         scenarios that passed
 * @param failed         scenarios that failed (any status but passed and skipped: undefined, pending, ambiguous too)
 * @param notRun         what the skipped scenarios need, « a cluster », with how many need it, in order of appearance
 * @param errataProblems what the errata file does not account for (an erratum that did not reproduce, a deviation
 *                       outside it); empty when it accounts for the run
 * @param errataApplied  whether the run went on with corrections of errata that reproduced (it decides nothing)
 */
public record Verdict(String where, int passed, int failed, Map<String, Integer> notRun, List<String> errataProblems,
                      boolean errataApplied) {

    /** What a skipped scenario needs, from its skip message: the steps' messages say it in these words. */
    private static final Map<Pattern, String> NEEDS = new LinkedHashMap<>();

    static {
        NEEDS.put(Pattern.compile("need a cluster"), "a cluster");
        NEEDS.put(Pattern.compile("metrics\\.k8s\\.io|metrics API"), "a metrics API (metrics-server)");
        NEEDS.put(Pattern.compile("serves no DeploymentConfig"), "a cluster that serves DeploymentConfig (apps.openshift.io)");
        NEEDS.put(Pattern.compile("does not enforce NetworkPolicy"), "a network that enforces NetworkPolicy");
    }

    /** The prefix of a skip of no known kind, before its message. */
    static final String OTHER = "skipped: ";

    private static final Pattern MAJOR = Pattern.compile("PostgreSQL\\)?\\s+(\\d+)");

    public Verdict {
        notRun = Collections.unmodifiableMap(new LinkedHashMap<>(notRun));
        errataProblems = List.copyOf(errataProblems);
    }

    /** The verdict of these scenarios' outcomes and these errata problems (and nothing else). */
    public static Verdict of(String where, List<ScenarioOutcome> scenarios, List<String> errataProblems, boolean errataApplied) {
        int passed = 0;
        int failed = 0;
        Map<String, Integer> notRun = new LinkedHashMap<>();
        for (ScenarioOutcome s : scenarios) {
            if (s.passed()) {
                passed++;
            } else if (s.skipped()) {
                notRun.merge(need(s.message()), 1, Integer::sum);
            } else {
                failed++;
            }
        }
        return new Verdict(where, passed, failed, notRun, errataProblems, errataApplied);
    }

    /** The verdict of a run: its backend, its errata problems and whether errata were corrected, from its record. */
    public static Verdict of(RunRecord run, List<ScenarioOutcome> scenarios) {
        boolean applied = run.ledger().entries().stream().anyMatch(e -> e.status() == ErrataLedger.Status.REPRODUCED);
        return of(where(run.settings(), run.backends()), scenarios, run.errataProblems(), applied);
    }

    /** No scenario certifies nothing, a failed one refuses the run, and so does an errata file that does not account for it. */
    public boolean certified() {
        return failed == 0 && passed > 0 && errataProblems.isEmpty();
    }

    /** The exit status of a run with this verdict: 0 when CERTIFIED, 1 when not. */
    public int exitStatus() {
        return certified() ? 0 : 1;
    }

    /** Scenarios skipped: not run here, and neither passed nor failed. */
    public int skipped() {
        return notRun.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** « CERTIFIED » or « NOT CERTIFIED ». */
    public String word() {
        return certified() ? "CERTIFIED" : "NOT CERTIFIED";
    }

    /**
     * What follows the word: « on local processes (PostgreSQL 15) for the 68 scenarios it ran, all passed; 10 need a
     * cluster and were not run », or « on local processes (PostgreSQL 15): 2 failed; 66 passed; … ».
     */
    public String detail() {
        String applied = errataApplied ? ", with the errata applied" : "";
        String notRunText = notRunText();
        if (certified()) {
            return skipped() == 0 ? where + applied + ": " + (passed == 1 ? "its one scenario passed" : "all " + passed
                    + " scenarios passed") : where + applied + (applied.isEmpty() ? "" : ",") + " for the "
                    + plural(passed, "scenario") + " it ran, all passed; " + notRunText;
        }
        List<String> why = new ArrayList<>();
        if (failed > 0) {
            why.add(failed + " failed");
        }
        if (!errataProblems.isEmpty()) {
            why.add("the errata file does not account for the run (" + plural(errataProblems.size(), "problem") + ")");
        }
        if (passed == 0 && failed == 0) {
            why.add("no scenario ran");
        }
        return where + ": " + String.join(", and ", why) + (passed > 0 ? "; " + passed + " passed" : "")
                + (notRunText.isEmpty() ? "" : "; " + notRunText);
    }

    /** The verdict in one sentence: {@link #word()} then {@link #detail()}. */
    public String sentence() {
        return word() + " " + detail();
    }

    /** The sentence, then each errata problem on a line of its own: what a console and a failed run show. */
    public String text() {
        StringBuilder t = new StringBuilder(sentence());
        if (!errataProblems.isEmpty()) {
            t.append("\nThe errata file does not account for this run:");
            errataProblems.forEach(p -> t.append("\n  - ").append(p));
        }
        return t.toString();
    }

    /** « 10 need a cluster and were not run », « 2 were not run: 1 needs a cluster, 1 needs … »; empty when none was skipped. */
    private String notRunText() {
        if (notRun.isEmpty()) {
            return "";
        }
        if (notRun.size() == 1) {
            Map.Entry<String, Integer> e = notRun.entrySet().iterator().next();
            int n = e.getValue();
            return e.getKey().startsWith(OTHER) ? n + (n == 1 ? " was" : " were") + " not run: " + e.getKey().substring(OTHER.length())
                    : n + (n == 1 ? " needs " : " need ") + e.getKey() + " and " + (n == 1 ? "was" : "were") + " not run";
        }
        List<String> parts = new ArrayList<>();
        notRun.forEach((need, n) -> parts.add(need.startsWith(OTHER) ? n + " skipped (" + need.substring(OTHER.length()) + ")"
                : n + (n == 1 ? " needs " : " need ") + need));
        return skipped() + " were not run: " + String.join(", ", parts);
    }

    /**
     * What a skipped scenario needs, from its message; a message of no known kind is kept, on one line, without the
     * « : not run, and not passed » every skip ends with (what « skipped » already says), and cut at a word after
     * {@value #REASON_LENGTH} characters.
     */
    static String need(String message) {
        String m = message == null ? "" : message;
        for (Map.Entry<Pattern, String> e : NEEDS.entrySet()) {
            if (e.getKey().matcher(m).find()) {
                return e.getValue();
            }
        }
        String line = NOT_RUN_NOT_PASSED.matcher(m.replace('\n', ' ').strip()).replaceFirst("");
        if (line.length() > REASON_LENGTH) {
            int cut = line.lastIndexOf(' ', REASON_LENGTH);
            line = line.substring(0, cut > 0 ? cut : REASON_LENGTH) + " …";
        }
        return OTHER + (line.isEmpty() ? "no reason given" : line);
    }

    private static final int REASON_LENGTH = 200;
    private static final Pattern NOT_RUN_NOT_PASSED = Pattern.compile("[:,]?\\s*(so this scenario is )?not run( here)?, and not "
            + "passed\\.?$");

    /**
     * Where the scenarios ran, from the backend of the run's first pair (its name and server), or from the settings when
     * no pair was stood up: « on local processes (PostgreSQL 15) », « on containers (PostgreSQL 17) », « on Kubernetes
     * (offline cluster, PostgreSQL 15) ».
     */
    public static String where(HarnessSettings settings, List<BackendDescription> backends) {
        Optional<BackendDescription> first = backends.stream().findFirst();
        String name = first.map(BackendDescription::name).orElse(settings.backend());
        Optional<String> major = first.map(b -> MAJOR.matcher(b.serverVersion())).filter(Matcher::find).map(m -> m.group(1))
                .or(() -> majorSetting(settings));
        String pg = major.map(m -> "PostgreSQL " + m).orElse("");
        return switch (name) {
            case "local" -> "on local processes" + (pg.isEmpty() ? "" : " (" + pg + ")");
            case "containers" -> "on containers" + (pg.isEmpty() ? "" : " (" + pg + ")");
            case "kubernetes" -> "on Kubernetes (" + settings.cluster() + " cluster" + (pg.isEmpty() ? "" : ", " + pg) + ")";
            default -> "on the " + name + " backend" + (pg.isEmpty() ? "" : " (" + pg + ")");
        };
    }

    private static Optional<String> majorSetting(HarnessSettings settings) {
        try {
            return settings.pgMajor().map(String::valueOf);
        } catch (NumberFormatException notANumber) {
            return Optional.empty(); // the preflight says so
        }
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
