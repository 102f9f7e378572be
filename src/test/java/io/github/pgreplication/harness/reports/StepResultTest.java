package io.github.pgreplication.harness.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StepResultTest {

    private static ScenarioOutcome s(String status) {
        return new ScenarioOutcome("f.feature", "a scenario " + status, List.of("@guide-2.3"), status, "");
    }

    @Test
    void aSkippedScenarioIsNeitherAPassNorAFailure() {
        assertThat(CertificationReport.stepResult(List.of(s("PASSED"), s("SKIPPED")), false))
                .isEqualTo("pass (1 skipped, not passed)");
        assertThat(CertificationReport.stepResult(List.of(s("PASSED"), s("PASSED")), false)).isEqualTo("pass");
        assertThat(CertificationReport.stepResult(List.of(s("SKIPPED")), false)).isEqualTo("not run (1 skipped)");
        assertThat(CertificationReport.stepResult(List.of(s("FAILED"), s("SKIPPED")), false)).isEqualTo("**FAIL**");
        assertThat(CertificationReport.stepResult(List.of(), true)).isEqualTo("pass (applied by the procedure)");
        assertThat(CertificationReport.stepResult(List.of(), false)).isEqualTo("not covered");
    }
}
