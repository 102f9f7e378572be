package io.github.pgreplication.harness.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A failed scenario's row links its failure evidence, relative to the report; a passed one, or one without, does not. */
class ScenarioResultTest {

    @Test
    void aFailedScenarioLinksItsEvidenceDirectory() {
        ScenarioOutcome failed = new ScenarioOutcome("f.feature", "Test 2", List.of("@guide-4.2"), "FAILED",
                "expected 25006 | got\nsomething", "evidence/test-2-0a1b2c3d/");
        assertThat(CertificationReport.scenarioResult(failed))
                .isEqualTo("**FAILED** ([evidence](evidence/test-2-0a1b2c3d/)): expected 25006 \\| got something");
    }

    @Test
    void withoutEvidenceOrPassedThereIsNoLink() {
        assertThat(CertificationReport.scenarioResult(new ScenarioOutcome("f.feature", "Test 2", List.of(), "FAILED", "why")))
                .isEqualTo("**FAILED**: why");
        assertThat(CertificationReport.scenarioResult(new ScenarioOutcome("f.feature", "Test 1", List.of(), "PASSED", "", "")))
                .isEqualTo("pass");
    }
}
