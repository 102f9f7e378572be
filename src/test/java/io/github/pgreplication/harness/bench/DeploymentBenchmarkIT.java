package io.github.pgreplication.harness.bench;

import io.github.pgreplication.harness.compat.ConfigBoot;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.procedure.CertificationRun;
import io.github.pgreplication.harness.run.FreePorts;
import io.github.pgreplication.harness.run.OsUser;
import io.github.pgreplication.harness.run.RunDirectory;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The benchmark of brief point 8, not a timed test: it asserts nothing about time. It stands up the guide's
 * pair with the harness (local backend: existing master with data, Phase 1, Phase 2, until the replica
 * streams) and does the same by hand with the same binaries (bench/guide-by-hand.sh), alternately, for
 * harness.bench.rounds rounds, and writes the figures to reports/benchmark.md. Run: ./mvnw -B verify -Pbenchmark
 */
class DeploymentBenchmarkIT {

    @Test
    void harnessAgainstTheGuideByHand() throws Exception {
        HarnessSettings settings = HarnessSettings.current();
        int rounds = Integer.parseInt(System.getProperty("harness.bench.rounds", "5"));
        List<Long> harness = new ArrayList<>();
        List<Long> byHand = new ArrayList<>();
        String bin = null;
        for (int i = 0; i < rounds; i++) {
            try (CertificationRun run = new CertificationRun(settings)) {
                long start = System.nanoTime();
                run.acquireSharedPair();
                run.releaseSharedPair();
                harness.add((System.nanoTime() - start) / 1_000_000);
                bin = run.backends().get(0).description().details();
            }
            byHand.add(byHand(settings));
        }
        StringBuilder md = new StringBuilder(HEADING + "\n\n")
                .append("Existing master with 5,000 rows, Étape 1.1's pg_dumpall, the master restarted on the guide's ")
                .append("configuration, the role and the slot, pg_basebackup, the replica started, until it streams. ")
                .append("Same machine, same binaries (").append(bin).append("), rounds alternated.\n\n")
                .append("| | rounds | median ms | min ms | max ms |\n|---|---|---|---|---|\n");
        row(md, "harness, local backend (`GuidePair`: existing master, Phase 1, Phase 2)", harness);
        row(md, "by hand (`bench/guide-by-hand.sh`, psql and pg_ctl)", byHand);
        md.append(String.format(Locale.ROOT, "\nHarness / by hand, medians: %.2f.\n", (double) median(harness) / median(byHand)))
                .append("\nEach round: ").append(harness).append(" (harness), ").append(byHand).append(" (by hand).\n");
        Files.createDirectories(settings.reportsDir());
        Path file = settings.reportsDir().resolve("benchmark.md");
        Files.writeString(file, withSection(Files.exists(file) ? Files.readString(file) : "", md.toString()),
                StandardCharsets.UTF_8);
        System.out.println(md);
    }

    private static final String HEADING = "## Standing up the guide's pair: the harness against the guide by hand";

    /** The benchmark file with this section first, in place of an earlier one; the other scripts' sections kept. */
    static String withSection(String existing, String section) {
        StringBuilder others = new StringBuilder();
        boolean skip = false;
        for (String line : existing.split("\n", -1)) {
            if (line.startsWith("# ")) {
                continue;
            }
            if (line.startsWith("## ")) {
                skip = line.startsWith(HEADING);
            }
            if (!skip) {
                others.append(line).append('\n');
            }
        }
        return "# Benchmark\n\n" + section + "\n" + others.toString().strip() + "\n";
    }

    private static long byHand(HarnessSettings settings) throws Exception {
        OsUser user = OsUser.forServers(settings.runAsUser());
        GuideModel m = GuideModel.load(settings.manifestsDir());
        try (RunDirectory dir = RunDirectory.create(RunDirectory.parent(settings.volumesDir()), user)) {
            Path conf = dir.dir(user, "conf");
            Path work = dir.dir(user, "work");
            ConfigBoot.writeGuideConfigs(m, conf, work.resolve("archive"), user);
            String bin = settings.pgBin().map(Path::toString).orElse(newestBin());
            List<String> cmd = new ArrayList<>(user.prefix());
            cmd.addAll(List.of("bash", settings.projectDir().resolve("bench/guide-by-hand.sh").toString(), bin,
                    work.toString(), conf.toString(), Integer.toString(FreePorts.loopback()), Integer.toString(FreePorts.loopback())));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0 || !out.contains("deployment_ms ")) {
                throw new AssertionError("bench/guide-by-hand.sh failed:\n" + out);
            }
            return Long.parseLong(out.substring(out.indexOf("deployment_ms ") + 14).trim().split("\\s+")[0]);
        }
    }

    private static String newestBin() {
        File[] versions = new File("/usr/lib/postgresql").listFiles();
        if (versions == null || versions.length == 0) {
            throw new IllegalStateException("no /usr/lib/postgresql/<N>/bin; set harness.pg.bin");
        }
        java.util.Arrays.sort(versions);
        return versions[versions.length - 1].toPath().resolve("bin").toString();
    }

    private static void row(StringBuilder md, String what, List<Long> ms) {
        md.append("| ").append(what).append(" | ").append(ms.size()).append(" | ").append(median(ms)).append(" | ")
                .append(ms.stream().mapToLong(Long::longValue).min().orElse(0)).append(" | ")
                .append(ms.stream().mapToLong(Long::longValue).max().orElse(0)).append(" |\n");
    }

    private static long median(List<Long> ms) {
        List<Long> sorted = ms.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
