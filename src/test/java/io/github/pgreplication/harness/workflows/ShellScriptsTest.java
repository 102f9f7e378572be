package io.github.pgreplication.harness.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.pgreplication.harness.run.HostTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The repository's shell scripts, checked in the build: shellcheck (Debian's package {@code shellcheck}, run as it
 * is, with the repository's {@code .shellcheckrc}) finds nothing in any of them, and every suppression it is given
 * ({@code # shellcheck disable=...}) says why, on its own line after the codes or on the comment line above it.
 * A script is a tracked file ({@code git ls-files}) named {@code *.sh} or starting with a shell's shebang. Both
 * checks are also run on a fixture that breaks them on purpose, so that neither can pass by finding nothing.
 */
class ShellScriptsTest {

    private static final Path FIXTURES = Path.of("src/test/resources/shellcheck");
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** {@code #!/bin/bash}, {@code #!/usr/bin/env bash}, {@code #!/bin/sh}, dash, ksh. */
    private static final Pattern SHEBANG = Pattern.compile("^#!\\s*(?:\\S*/)?(?:env\\s+)?(?:ba|da|k)?sh(?:\\s.*)?$");
    /** A suppression, and what follows its codes on the same line. */
    private static final Pattern DISABLE = Pattern.compile("#\\s*shellcheck\\s+disable=[\\w,-]+(.*)$");
    /** One finding of {@code shellcheck --format=gcc}: file, line, column, level, message, code. */
    private static final Pattern FINDING = Pattern.compile("^(.+):(\\d+):(\\d+): (\\w+): (.*) \\[SC(\\d+)]$");

    record Finding(String file, int line, int code) {
    }

    /** A {@code # shellcheck disable=} with no reason beside it or on the comment line above it. */
    record Unexplained(Path file, int line, String text) {
    }

    @Test
    void everyShellScriptPassesShellcheck() throws Exception {
        List<Path> scripts = shellScripts();
        HostTool.Result r = shellcheck(scripts, "--format=tty");
        assertThat(r.exitCode()).as("shellcheck over the " + scripts.size() + " shell scripts of the repository; fix "
                + "each finding, or suppress one where the code is right as it is, with a comment saying why:\n"
                + r.output()).isZero();
    }

    @Test
    void shellcheckReportsEachMistakePlantedInABrokenScript() throws Exception {
        HostTool.Result r = shellcheck(List.of(FIXTURES.resolve("broken.sh")), "--format=gcc");
        assertThat(r.exitCode()).as("shellcheck's exit status on a broken script:\n" + r.output()).isEqualTo(1);
        assertThat(findings(r.output())).extracting(Finding::line, Finding::code).containsExactly(
                tuple(4, 2164), // cd with no exit when it fails
                tuple(5, 2045), // a loop over ls
                tuple(6, 2086), // an unquoted expansion
                tuple(8, 2162)); // read without -r
    }

    @Test
    void everySuppressionSaysWhy() throws Exception {
        List<Unexplained> unexplained = new ArrayList<>();
        for (Path script : shellScripts()) {
            unexplained.addAll(unexplainedSuppressions(script));
        }
        assertThat(unexplained).as("`# shellcheck disable=` with no reason after its codes (`# shellcheck "
                + "disable=SCxxxx # why`) or on the comment line above it").isEmpty();
    }

    @Test
    void theSuppressionCheckFindsAnUnexplainedOne() throws Exception {
        assertThat(unexplainedSuppressions(FIXTURES.resolve("broken.sh"))).extracting(Unexplained::line)
                .containsExactly(10);
    }

    @Test
    void theScanFindsScriptsByNameAndByShebangButNotTheFixtures() throws Exception {
        List<Path> scripts = shellScripts();
        assertThat(scripts).as("shell scripts found by git ls-files").contains(
                Path.of("k8s/offline/start.sh"), // *.sh with a shebang
                Path.of("k8s/offline/env.sh"), // *.sh, sourced, no shebang
                Path.of("k8s/offline/start/network.sh"), // a part of start.sh
                Path.of(".ci/run"), // a shebang, no extension
                Path.of("bin/certify"),
                Path.of("mvnw")); // #!/bin/sh
        assertThat(scripts).as("fixtures broken on purpose").noneMatch(p -> p.startsWith(FIXTURES));
        assertThat(SHEBANG.matcher("#!/usr/bin/env python3").matches()).isFalse();
        assertThat(SHEBANG.matcher("#!/usr/bin/env node").matches()).isFalse();
    }

    /** The tracked files named *.sh or starting with a shell's shebang, the fixtures left out. */
    private static List<Path> shellScripts() throws IOException {
        HostTool.Result ls = HostTool.require("git", "git").run(Path.of("."), TIMEOUT, "ls-files");
        assertThat(ls.exitCode()).as("git ls-files (the scripts are the repository's tracked files): " + ls.output())
                .isZero();
        List<Path> scripts = new ArrayList<>();
        for (String name : ls.output().split("\n")) {
            Path p = Path.of(name.trim());
            if (name.isBlank() || p.startsWith(FIXTURES) || !Files.isRegularFile(p)) {
                continue; // a file deleted in the work tree but not yet in the index is not a script to check
            }
            if (name.endsWith(".sh") || SHEBANG.matcher(firstLine(p)).matches()) {
                scripts.add(p);
            }
        }
        assertThat(scripts).as("shell scripts among git ls-files").isNotEmpty();
        return scripts;
    }

    private static String firstLine(Path p) throws IOException {
        byte[] head = new byte[256];
        int n;
        try (var in = Files.newInputStream(p)) {
            n = in.readNBytes(head, 0, head.length);
        }
        String s = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        int eol = s.indexOf('\n');
        return eol < 0 ? s : s.substring(0, eol);
    }

    /** shellcheck over the scripts, from the repository's root (its .shellcheckrc applies). */
    private static HostTool.Result shellcheck(List<Path> scripts, String format) {
        HostTool tool = HostTool.require("shellcheck", "shellcheck");
        List<String> args = new ArrayList<>(List.of(format));
        scripts.forEach(s -> args.add(s.toString()));
        HostTool.Result r = tool.run(Path.of("."), TIMEOUT, args.toArray(String[]::new));
        assertThat(r.exitCode()).as("shellcheck could not run (exit " + r.exitCode() + "): " + r.output())
                .isLessThanOrEqualTo(1);
        return r;
    }

    private static List<Finding> findings(String gcc) {
        List<Finding> out = new ArrayList<>();
        for (String line : gcc.split("\n")) {
            Matcher m = FINDING.matcher(line);
            if (m.matches()) {
                out.add(new Finding(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(6))));
            }
        }
        return out;
    }

    /**
     * The suppressions of a script with no reason: nothing after the codes but another directive, and no comment
     * line above that is not itself a directive.
     */
    private static List<Unexplained> unexplainedSuppressions(Path script) throws IOException {
        List<String> lines = Files.readAllLines(script, StandardCharsets.UTF_8);
        List<Unexplained> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = DISABLE.matcher(lines.get(i));
            if (!m.find()) {
                continue;
            }
            boolean reasonBeside = m.group(1).matches("\\s*#\\s*\\S.*");
            String above = i > 0 ? lines.get(i - 1).trim() : "";
            boolean reasonAbove = above.startsWith("#") && !above.startsWith("#!")
                    && !above.matches("#\\s*shellcheck\\s.*") && !above.replaceFirst("^#+", "").isBlank();
            if (!reasonBeside && !reasonAbove) {
                out.add(new Unexplained(script, i + 1, lines.get(i).trim()));
            }
        }
        return out;
    }
}
