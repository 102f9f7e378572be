package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.run.Evidence;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;

/**
 * The run's services that the procedure on a pair uses, given to it as one small context rather than handed out by
 * the pair: the guide's text, the errata ledger every item of the guide goes through, the evidence the report reads,
 * the waits (one timeout scale per run) and the settings.
 */
public record RunContext(GuideDocument guide, ErrataLedger ledger, Evidence evidence, Waits waits,
                         HarnessSettings settings) {
}
