package io.github.pgreplication.harness.steps;

import io.cucumber.plugin.ConcurrentEventListener;
import io.cucumber.plugin.event.EmbedEvent;
import io.cucumber.plugin.event.EventPublisher;
import io.cucumber.plugin.event.Result;
import io.cucumber.plugin.event.TestCaseFinished;
import io.cucumber.plugin.event.TestRunFinished;
import io.cucumber.plugin.event.TestRunStarted;
import io.github.pgreplication.harness.procedure.CertificationRun;
import io.github.pgreplication.harness.reports.CertificationReport;
import io.github.pgreplication.harness.reports.ReportPages;
import io.github.pgreplication.harness.reports.ScenarioOutcome;
import io.github.pgreplication.harness.reports.Verdict;
import io.github.pgreplication.harness.run.Secrets;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Records every scenario's outcome, from which the run's {@link Verdict} is given once the last one is over (RunHolder),
 * and writes reports/certification.md at the end of the run from them, that verdict and the run's evidence.
 */
public class CertificationReportPlugin implements ConcurrentEventListener {

    private final List<ScenarioOutcome> outcomes = new ArrayList<>();
    /** Each failed scenario's evidence directory, relative to the reports directory, from the failure hook's attachment. */
    private final Map<UUID, String> evidence = new HashMap<>();

    @Override
    public void setEventPublisher(EventPublisher publisher) {
        publisher.registerHandlerFor(TestRunStarted.class, e -> RunHolder.outcomesRecordedBy(this::outcomes));
        publisher.registerHandlerFor(EmbedEvent.class, this::embedded);
        publisher.registerHandlerFor(TestCaseFinished.class, this::finished);
        publisher.registerHandlerFor(TestRunFinished.class, e -> write());
    }

    private synchronized void embedded(EmbedEvent e) {
        if (e.getName() != null && e.getName().startsWith(Hooks.EVIDENCE)) {
            evidence.put(e.getTestCase().getId(), e.getName());
        }
    }

    private synchronized void finished(TestCaseFinished e) {
        Result r = e.getResult();
        String uri = e.getTestCase().getUri().toString();
        String feature = uri.substring(uri.lastIndexOf('/') + 1);
        outcomes.add(new ScenarioOutcome(feature, e.getTestCase().getName(), e.getTestCase().getTags(), r.getStatus().name(),
                r.getError() == null ? "" : Secrets.redact(String.valueOf(r.getError().getMessage())),
                evidence.getOrDefault(e.getTestCase().getId(), "")));
        evidence.remove(e.getTestCase().getId());
    }

    private synchronized List<ScenarioOutcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /**
     * Set by a caller that prints the verdict itself, last ({@code bin/certify}): this plugin then prints the report's
     * paths only, and the verdict is said once.
     */
    public static final String VERDICT_PRINTED_BY_CALLER = "harness.verdict.printed-by-caller";

    private synchronized void write() {
        Verdict verdict = RunHolder.verdict().orElseThrow(); // given from this plugin's outcomes
        CertificationRun run = RunHolder.currentOrNull();
        if (run == null) {
            // no scenario got as far as creating the run (bad input): the run's failure carries the error
            if (!Boolean.getBoolean(VERDICT_PRINTED_BY_CALLER)) {
                System.out.println("Verdict: " + verdict.sentence());
            }
            return;
        }
        Path dir = HarnessSettings.current().reportsDir();
        Path file = CertificationReport.write(dir, run.record(), outcomes(), verdict, Instant.now());
        System.out.println("Certification report: " + file
                + (Boolean.getBoolean(VERDICT_PRINTED_BY_CALLER) ? "" : "\nVerdict: " + verdict.sentence()));
        System.out.println("Annotated guide: " + ReportPages.write(dir, run.record(), outcomes(), Instant.now()));
    }
}
