package io.github.pgreplication.harness.steps;

import io.cucumber.plugin.ConcurrentEventListener;
import io.cucumber.plugin.event.EventPublisher;
import io.cucumber.plugin.event.Result;
import io.cucumber.plugin.event.TestCaseFinished;
import io.cucumber.plugin.event.TestRunFinished;
import io.github.pgreplication.harness.procedure.CertificationRun;
import io.github.pgreplication.harness.reports.CertificationReport;
import io.github.pgreplication.harness.reports.ReportPages;
import io.github.pgreplication.harness.reports.ScenarioOutcome;
import io.github.pgreplication.harness.run.Secrets;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Writes reports/certification.md at the end of the run from the scenarios' outcomes and the run's evidence. */
public class CertificationReportPlugin implements ConcurrentEventListener {

    private final List<ScenarioOutcome> outcomes = new ArrayList<>();

    @Override
    public void setEventPublisher(EventPublisher publisher) {
        publisher.registerHandlerFor(TestCaseFinished.class, this::finished);
        publisher.registerHandlerFor(TestRunFinished.class, e -> write());
    }

    private synchronized void finished(TestCaseFinished e) {
        Result r = e.getResult();
        String uri = e.getTestCase().getUri().toString();
        String feature = uri.substring(uri.lastIndexOf('/') + 1);
        outcomes.add(new ScenarioOutcome(feature, e.getTestCase().getName(), e.getTestCase().getTags(), r.getStatus().name(),
                r.getError() == null ? "" : Secrets.redact(String.valueOf(r.getError().getMessage()))));
    }

    private synchronized void write() {
        CertificationRun run = RunHolder.currentOrNull();
        if (run == null) {
            return; // no scenario got as far as creating the run (bad input): the scenarios carry the error
        }
        Path dir = HarnessSettings.current().reportsDir();
        Path file = CertificationReport.write(dir, run.record(), List.copyOf(outcomes), Instant.now());
        System.out.println("Certification report: " + file);
        System.out.println("Annotated guide: " + ReportPages.write(dir, run.record(), List.copyOf(outcomes), Instant.now()));
    }
}
