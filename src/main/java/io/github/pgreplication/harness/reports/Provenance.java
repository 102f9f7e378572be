package io.github.pgreplication.harness.reports;

import io.github.pgreplication.harness.backend.BackendDescription;
import io.github.pgreplication.harness.procedure.RunRecord;
import io.github.pgreplication.harness.run.HostTool;
import io.github.pgreplication.harness.run.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a reviewer needs to reproduce a run: the SHA-256 of the guide, of every file of the manifests under test and of
 * the errata file; the images (with their IDs) and servers the pairs ran; the cluster; the harness's commit; the
 * command line, the harness's settings, and the bin/certify command that repeats the run with them.
 */
public record Provenance(String harnessCommit, String commandLine, String repeat, Map<String, String> settings, FileDigest guide,
                         FileDigest errata, List<FileDigest> manifests, List<String> images, List<String> servers,
                         List<String> clusters) {

    /** A file, relative to the project where it is inside it, and its SHA-256. */
    public record FileDigest(String path, String sha256) {
    }

    private static final Pattern IMAGE = Pattern.compile("image `([^`]+)`");
    private static final Duration TOOL = Duration.ofSeconds(20);

    public static Provenance of(RunRecord run) {
        Path project = run.settings().projectDir();
        Path manifestsDir = run.settings().manifestsDir();
        List<FileDigest> manifests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(manifestsDir)) {
            files.filter(Files::isRegularFile).sorted().forEach(f -> manifests.add(digest(project, f)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the manifests " + manifestsDir, e);
        }
        Set<String> images = new LinkedHashSet<>();
        Set<String> servers = new LinkedHashSet<>();
        Set<String> clusters = new LinkedHashSet<>();
        for (BackendDescription b : run.backends()) {
            servers.add(b.name() + ": " + b.serverVersion());
            Matcher m = IMAGE.matcher(b.details());
            while (m.find()) {
                images.add(m.group(1) + " " + imageId(m.group(1)));
            }
            if (b.name().equals("kubernetes")) {
                clusters.add(b.runtime() + (b.details().isBlank() ? "" : "; " + b.details()));
            }
        }
        Map<String, String> settings = new TreeMap<>();
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("harness.") || k.startsWith("cucumber."))
                .forEach(k -> settings.put(k, Secrets.redact(System.getProperty(k))));
        // bin/certify takes every setting as -D: the same scenarios, settings and seed (its own report plugins)
        String repeat = "bin/certify" + settings.entrySet().stream().filter(e -> !e.getKey().equals("cucumber.plugin"))
                .map(e -> " '-D" + e.getKey() + "=" + e.getValue() + "'").collect(Collectors.joining());
        return new Provenance(commit(project), Secrets.redact(System.getProperty("sun.java.command", "unknown")), repeat, settings,
                digest(project, run.settings().guideFile()), digest(project, run.ledger().catalog().path()),
                manifests, List.copyOf(images), List.copyOf(servers), List.copyOf(clusters));
    }

    static FileDigest digest(Path project, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path root = project.toAbsolutePath().normalize();
        String name = abs.startsWith(root) ? root.relativize(abs).toString() : abs.toString();
        try {
            return new FileDigest(name, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(abs))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + abs + " for its digest", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    /** The harness's commit, « (with uncommitted changes) » when the checkout differs from it; unknown outside a checkout. */
    private static String commit(Path project) {
        Optional<Path> git = HostTool.onPath("git");
        if (git.isEmpty() || !Files.exists(project.resolve(".git"))) {
            return "unknown (not a git checkout)";
        }
        HostTool tool = HostTool.require("git", "git");
        HostTool.Result head = tool.run(project, TOOL, "rev-parse", "HEAD");
        if (!head.succeeded()) {
            return "unknown (git rev-parse: " + head.output().strip() + ")";
        }
        HostTool.Result status = tool.run(project, TOOL, "status", "--porcelain", "--untracked-files=no");
        return head.output().strip() + (status.succeeded() && !status.output().isBlank() ? " (with uncommitted changes)" : "");
    }

    /** An image's ID from the Docker engine that ran it; unknown where there is no docker command. */
    private static String imageId(String image) {
        if (HostTool.onPath("docker").isEmpty()) {
            return "(ID unknown: no docker command)";
        }
        HostTool.Result r = HostTool.require("docker", "docker.io").run(Path.of("."), TOOL, "image", "inspect",
                "--format", "{{.Id}}", image);
        return r.succeeded() ? r.output().strip() : "(ID unknown: " + r.output().strip() + ")";
    }
}
