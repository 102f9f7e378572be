package io.github.pgreplication.harness.monitoring;

import io.github.pgreplication.harness.run.HostTool;
import io.github.pgreplication.harness.run.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Prometheus' own checker, from Debian's {@code prometheus} package: {@code promtool check rules} on the
 * rule file of a PrometheusRule, and {@code promtool test rules} on unit tests that read it as
 * {@code rules.yaml} beside them.
 */
public final class Promtool {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final HostTool tool = HostTool.require("promtool", "prometheus");

    /** {@code promtool check rules rules.yaml}. */
    public HostTool.Result checkRules(AlertRules rules) {
        return inScratch(rules, dir -> tool.run(dir, TIMEOUT, "check", "rules", "rules.yaml"));
    }

    /** {@code promtool test rules <test>}, the test file copied beside {@code rules.yaml}. */
    public HostTool.Result testRules(AlertRules rules, Path testFile) {
        if (!Files.isRegularFile(testFile)) {
            throw new IllegalArgumentException("no promtool test file " + testFile);
        }
        return inScratch(rules, dir -> {
            try {
                Files.copy(testFile, dir.resolve("rules.test.yaml"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return tool.run(dir, TIMEOUT, "test", "rules", "rules.test.yaml");
        });
    }

    private static HostTool.Result inScratch(AlertRules rules, java.util.function.Function<Path, HostTool.Result> action) {
        Path dir = null;
        try {
            dir = RunDirectory.scratch("promtool");
            Files.writeString(dir.resolve("rules.yaml"), rules.ruleFile(), StandardCharsets.UTF_8);
            return action.apply(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare promtool's files", e);
        } finally {
            if (dir != null) {
                RunDirectory.deleteTree(dir);
            }
        }
    }
}
