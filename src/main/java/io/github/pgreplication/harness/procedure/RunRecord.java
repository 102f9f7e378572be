package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.BackendDescription;
import io.github.pgreplication.harness.compat.MajorOutcome;
import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.lint.LintReport;
import io.github.pgreplication.harness.run.Evidence;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a certification run did, as the report reads it once the scenarios are over: the report is given this record,
 * never the run, so that it cannot stand pairs up or change what it reports on.
 *
 * @param names         the names the manifests under test give what the guide names
 * @param guideNames    the guide's own names (its published manifests)
 * @param backends      the backend of each pair stood up, in order
 * @param errataProblems what the errata file does not account for (empty when it accounts for the run)
 * @param closeCalls    the waits that succeeded after more than half their limit, the closest first
 */
public record RunRecord(HarnessSettings settings, Instant started, GuideDocument guide, GuideNames names,
                        GuideNames guideNames, ErrataLedger ledger, Evidence evidence, List<BackendDescription> backends,
                        List<String> adaptations, Map<String, LintReport> lintReports,
                        List<MajorOutcome> compatibility, List<String> errataProblems,
                        List<Waits.CloseCall> closeCalls) {

    public RunRecord {
        backends = List.copyOf(backends);
        adaptations = List.copyOf(adaptations);
        lintReports = Collections.unmodifiableMap(new LinkedHashMap<>(lintReports)); // in the order the run linted them
        compatibility = compatibility.stream().sorted().toList(); // by major, the configurations as they are first
        errataProblems = List.copyOf(errataProblems);
        closeCalls = List.copyOf(closeCalls);
    }
}
