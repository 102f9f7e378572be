package io.github.pgreplication.harness.entry;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.pgreplication.harness.reports.Verdict;
import io.github.pgreplication.harness.settings.HarnessSettings;
import io.github.pgreplication.harness.steps.CertificationReportPlugin;
import io.github.pgreplication.harness.steps.RunHolder;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The certification without Maven ({@code bin/certify}): the same suite Failsafe runs ({@code RunCucumberIT}: the
 * features/ directory, the same glue, junit-platform.properties), with the same Cucumber plugins writing the same
 * reports, and one line per scenario as it finishes. The settings are the harness's system properties, as under
 * Failsafe; {@code bin/certify} turns its options into them. It ends with the run's verdict, the report's, and exits
 * with that verdict's status: 0 when CERTIFIED, 1 when not (a failed scenario, nothing passed, or an errata file that
 * does not account for the run).
 */
public final class Certify {

    /** The suite Failsafe runs, selected by name as Failsafe selects it. */
    static final String SUITE = "io.github.pgreplication.harness.steps.RunCucumberIT";

    /** The plugin that writes the report and records the scenarios the verdict is given from. */
    static final String REPORT_PLUGIN = CertificationReportPlugin.class.getName();

    private Certify() {
    }

    /**
     * The plugins of pom.xml's {@code certify} execution, for a reports directory (CertifyEntryPointTest keeps the
     * two the same).
     */
    static String plugins(String reports) {
        return "summary, html:" + reports + "/cucumber.html, json:" + reports + "/cucumber.json, junit:" + reports
                + "/cucumber-junit.xml, " + REPORT_PLUGIN;
    }

    public static void main(String[] args) {
        System.exit(run(new PrintStream(System.out, true, StandardCharsets.UTF_8)));
    }

    /**
     * Runs the certification as its settings (system properties) say, printing on {@code out}; returns the exit status
     * of its verdict: the one the report states, given once after the last scenario.
     */
    static int run(PrintStream out) {
        long start = System.nanoTime();
        System.setProperty(CertificationReportPlugin.VERDICT_PRINTED_BY_CALLER, "true"); // said once, last, below
        RunHolder.openEarly(); // the preflight and the run it opens, while the features are discovered
        String reports = System.getProperty("harness.reports", "reports");
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(SUITE))
                .configurationParameter("cucumber.plugin", withReportPlugin(System.getProperty("cucumber.plugin", plugins(reports))))
                .build();
        Progress progress = new Progress(out);
        out.println("certify: " + HarnessSettings.current().manifestsDir() + " on the " + HarnessSettings.current().backend()
                + " backend" + (System.getProperty("cucumber.filter.tags") == null ? ""
                : ", scenarios " + System.getProperty("cucumber.filter.tags")) + "; reports in " + reports + "/");
        try {
            LauncherFactory.create().execute(request, progress);
        } finally {
            System.clearProperty(CertificationReportPlugin.VERDICT_PRINTED_BY_CALLER);
        }
        out.printf(Locale.ROOT, "certify: %d passed, %d failed, %d skipped or not selected, in %.1f s%n",
                progress.passed.get(), progress.failed.get(), progress.skipped.get(), (System.nanoTime() - start) / 1e9);
        // The verdict the report states; none only when no scenario was even started (the suite did not run).
        Verdict verdict = RunHolder.verdict().orElseGet(() -> Verdict.of(Verdict.where(HarnessSettings.current(), List.of()),
                List.of(), List.of(), false));
        out.println("certify: " + verdict.text().replace("\n", "\ncertify: "));
        return verdict.exitStatus();
    }

    /** The plugins asked for, with the report's, which records the scenarios the verdict is given from. */
    static String withReportPlugin(String plugins) {
        return plugins.contains(REPORT_PLUGIN) ? plugins : plugins + ", " + REPORT_PLUGIN;
    }

    /** Prints each scenario as it finishes: verdict, seconds, feature and scenario. */
    static final class Progress implements TestExecutionListener {
        private final PrintStream out;
        private final Map<String, Long> started = new ConcurrentHashMap<>();
        final AtomicInteger passed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();

        Progress(PrintStream out) {
            this.out = out;
        }

        @Override
        public void executionStarted(TestIdentifier id) {
            if (id.isTest()) {
                started.put(id.getUniqueId(), System.nanoTime());
            }
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest()) {
                skipped.incrementAndGet();
                if (!reason.contains("cucumber.filter.tags")) { // a scenario the tags leave out is not news
                    out.println("  skipped         " + id.getDisplayName() + " (" + reason + ")");
                }
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (!id.isTest()) {
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    // a container that failed (the run refused by its verdict, the suite, a feature file that does not
                    // parse): say why; the scenarios' counts are the scenarios'
                    out.println("  FAILED          " + id.getDisplayName() + ": " + result.getThrowable().map(Throwable::toString).orElse("?"));
                }
                return;
            }
            double seconds = (System.nanoTime() - started.getOrDefault(id.getUniqueId(), System.nanoTime())) / 1e9;
            String verdict = switch (result.getStatus()) {
                case SUCCESSFUL -> "passed ";
                case ABORTED -> "skipped";
                case FAILED -> "FAILED ";
            };
            switch (result.getStatus()) {
                case SUCCESSFUL -> passed.incrementAndGet();
                case ABORTED -> skipped.incrementAndGet();
                case FAILED -> failed.incrementAndGet();
            }
            out.printf(Locale.ROOT, "  %s %6.1f s  %s%n", verdict, seconds, id.getDisplayName());
            if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                result.getThrowable().ifPresent(t -> out.println("      " + firstLines(String.valueOf(t.getMessage()), 6)
                        .replace("\n", "\n      ")));
            }
        }

        private static String firstLines(String text, int n) {
            String[] lines = text.split("\n", n + 1);
            return String.join("\n", java.util.Arrays.asList(lines).subList(0, Math.min(n, lines.length)));
        }
    }
}
