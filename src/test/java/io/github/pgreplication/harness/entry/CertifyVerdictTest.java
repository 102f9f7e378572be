package io.github.pgreplication.harness.entry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/certify's exit status and the report's verdict agree, on real runs (local backend, a few seconds each): a run
 * whose only other scenario needs a cluster certifies what it ran and says what it did not; one whose scenarios were
 * all skipped, and one whose erratum did not reproduce, are NOT CERTIFIED and exit 1.
 */
class CertifyVerdictTest {

    /** A certification as bin/certify runs it: its exit status, the report's verdict line, and the verdict it printed. */
    record Outcome(int status, String reportVerdict, String printedVerdict) {
    }

    private static Outcome certify(Path reports, Map<String, String> properties) throws IOException {
        Map<String, String> all = new LinkedHashMap<>(properties);
        all.put("harness.reports", reports.toString());
        all.forEach(System::setProperty);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            status = Certify.run(out);
        } finally {
            all.keySet().forEach(System::clearProperty);
        }
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        String verdict = Files.readAllLines(reports.resolve("certification.md")).stream()
                .filter(l -> l.startsWith("**Verdict: ")).findFirst().orElseThrow();
        return new Outcome(status, verdict, lines.stream().filter(l -> l.matches("certify: (NOT )?CERTIFIED .*")).reduce((a, b) -> b)
                .orElseThrow());
    }

    /** Exit 0 exactly when the report says CERTIFIED, and bin/certify ends with the report's sentence. */
    private static void agree(Outcome o) {
        assertThat(o.status()).as(o.reportVerdict()).isEqualTo(o.reportVerdict().startsWith("**Verdict: CERTIFIED**") ? 0 : 1);
        assertThat(o.printedVerdict().replace("certify: ", "**Verdict: ").replaceFirst("(NOT )?CERTIFIED", "$0**") + ".")
                .isEqualTo(o.reportVerdict());
    }

    @Test
    void aRunWithSkipsCertifiesWhatItRanAndExitsZero(@TempDir Path reports) throws IOException {
        Outcome o = certify(reports, Map.of("cucumber.filter.tags", "@lint or (@guide-reconnaissance and @cluster)"));
        assertThat(o.status()).isZero();
        assertThat(o.reportVerdict()).isEqualTo("**Verdict: CERTIFIED** on local processes for the 2 scenarios it ran, all "
                + "passed; 1 needs a cluster and was not run.");
        agree(o);
    }

    @Test
    void aRunWhoseScenariosWereAllSkippedIsNotCertifiedAndExitsOne(@TempDir Path reports) throws IOException {
        Outcome o = certify(reports, Map.of("cucumber.filter.tags", "@guide-reconnaissance and @cluster"));
        assertThat(o.status()).isEqualTo(1);
        assertThat(o.reportVerdict()).isEqualTo("**Verdict: NOT CERTIFIED** on local processes: no scenario ran; 1 needs a "
                + "cluster and was not run.");
        agree(o);
    }

    @Test
    void anErratumThatDidNotReproduceIsNotCertifiedAndExitsOne(@TempDir Path reports) throws IOException {
        // The corrected manifests, expected to reproduce every erratum: E12 (a quote in the password) cannot.
        Outcome o = certify(reports, Map.of("cucumber.filter.tags", "@erratum-E12", "harness.errata.expect", "all"));
        assertThat(o.status()).isEqualTo(1);
        assertThat(o.reportVerdict()).startsWith("**Verdict: NOT CERTIFIED** on local processes")
                .contains("the errata file does not account for the run (1 problem)");
        assertThat(Files.readString(reports.resolve("certification.md")))
                .contains("- erratum E12 (configmap/postgresql-master-init#password-with-quote) did not reproduce");
        agree(o);
    }
}
