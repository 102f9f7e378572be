package io.github.pgreplication.harness.backend;

import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.MountPlan;
import io.github.pgreplication.harness.guide.MountSource;
import io.github.pgreplication.harness.run.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The files a backend writes for {@link Backend#collectEvidence}: each under one directory, its text redacted of
 * every known secret on the way ({@link Secrets#redact}), and of the password verifiers a {@code pg_dumpall} prints
 * (SCRAM and md5: a team's own weak password could be found from one), in the order written. Evidence is best effort: a file that cannot be written, or
 * a part that cannot be read, is noted in {@code problems.txt}, never thrown, so that the rest is still written.
 */
public final class EvidenceFiles {

    /** A role's password verifier as pg_dumpall and pg_authid show it. */
    private static final Pattern VERIFIER = Pattern.compile("SCRAM-SHA-256\\$[0-9]+:[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+"
            + "|\\bmd5[0-9a-f]{32}\\b");

    private final Path dir;
    private final List<Path> written = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    /**
     * A directory name for the evidence of {@code name} (a scenario, a pair): {@code <name as a slug>-<up to 8 letters or
     * digits of unique>}, so that two failures of one run never share a directory.
     */
    public static String dirName(String name, String unique) {
        String slug = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > 60) {
            slug = slug.substring(0, 60).replaceAll("-+$", "");
        }
        String letters = unique.replaceAll("[^A-Za-z0-9]", "");
        return (slug.isEmpty() ? "scenario" : slug) + "-" + letters.substring(0, Math.min(8, letters.length()));
    }

    public EvidenceFiles(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** Writes {@code text}, redacted, at {@code relative} under the directory (parents made); a name that leaves it is refused. */
    public void write(String relative, String text) {
        Path file = dir.resolve(relative).normalize();
        if (!file.startsWith(dir) || file.equals(dir)) {
            problem(relative + ": not a file name under " + dir);
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, redact(text), StandardCharsets.UTF_8);
            written.add(file);
        } catch (IOException | RuntimeException e) {
            problem("cannot write " + relative + ": " + e);
        }
    }

    /** The text without a known secret or a password verifier. */
    static String redact(String text) {
        return VERIFIER.matcher(Secrets.redact(text)).replaceAll(m -> m.group().startsWith("md5") ? "md5****"
                : "SCRAM-SHA-256\\$****");
    }

    /** Something that could not be collected, said in {@code problems.txt}. */
    public void problem(String text) {
        problems.add(text);
    }

    /** The files written, {@code problems.txt} last when something could not be collected. */
    public List<Path> done() {
        if (!problems.isEmpty()) {
            List<String> said = List.copyOf(problems);
            problems.clear();
            write("problems.txt", "What could not be collected:\n- " + String.join("\n- ", said) + "\n");
        }
        return List.copyOf(written);
    }

    /** A name safe as one file name: what is not a letter, a digit, a dot or a dash becomes an underscore. */
    public static String fileName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9.-]+", "_");
        return safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe;
    }

    /**
     * A pod's plan as its description starts: image, command and args, the env's names (values redacted), mounts,
     * probes, labels. The backend adds what it made of it on this host (ports, paths, the container's state).
     */
    public static String describe(String podName, ContainerPlan plan) {
        StringBuilder s = new StringBuilder();
        s.append("Pod:            ").append(podName).append('\n')
                .append("Template:       ").append(plan.podName()).append(", container ").append(plan.containerName()).append('\n')
                .append("From:           ").append(plan.source()).append('\n')
                .append("Image:          ").append(plan.image()).append('\n')
                .append("Command:        ").append(plan.command().isEmpty() ? "(the image's entrypoint)" : plan.command()).append('\n')
                .append("Args:           ").append(plan.args().isEmpty() ? "(none)" : plan.args()).append('\n')
                .append("Labels:         ").append(plan.podLabels()).append('\n')
                .append("Readiness:      ").append(plan.readinessCommand().map(Object::toString).orElse("(none in the manifest)")).append('\n')
                .append("Liveness:       ").append(plan.liveness().map(l -> l.describe()).orElse("(none)")).append('\n')
                .append("Env (values redacted):\n");
        plan.env().keySet().forEach(k -> s.append("  ").append(k).append("=****\n"));
        s.append("Mounts:\n");
        for (MountPlan m : plan.mounts()) {
            s.append("  ").append(m.mountPath()).append(" from volume ").append(m.volumeName()).append(": ").append(source(m.source()))
                    .append('\n');
        }
        return s.toString();
    }

    private static String source(MountSource source) {
        if (source instanceof MountSource.Claim c) {
            return "PersistentVolumeClaim " + c.claimName();
        } else if (source instanceof MountSource.ConfigMapFiles cm) {
            return "ConfigMap " + cm.configMap() + (cm.singleFile() ? ", one key as a file " : ", keys ") + cm.files().keySet()
                    + ", mode " + String.format(Locale.ROOT, "%04o", cm.mode());
        } else if (source instanceof MountSource.EmptyDir e) {
            return "emptyDir " + e.volume();
        }
        return String.valueOf(source);
    }

    /** The backend's own description, {@code more} lines of its own, and every host adaptation it made: {@code backend.txt}. */
    public static String describe(BackendDescription d, List<String> adaptations, String... more) {
        StringBuilder s = new StringBuilder("Backend:        " + d.name() + "\nServer:         " + d.serverVersion()
                + "\nRuntime:        " + d.runtime() + "\nDetails:        " + d.details() + "\n");
        for (String line : more) {
            s.append(line).append('\n');
        }
        s.append("\nHost adaptations made by this backend:\n");
        adaptations.forEach(a -> s.append("- ").append(a).append('\n'));
        return s.toString();
    }
}
