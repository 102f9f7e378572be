package io.github.pgreplication.harness.lint;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.github.pgreplication.harness.guide.ImageContract;
import io.github.pgreplication.harness.lint.LintContext.At;
import io.github.pgreplication.harness.lint.LintContext.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The pod templates' containers: their images, probes and limits, security contexts. */
final class WorkloadRules {

    static final List<LintRule> RULES = List.of(new SameMajor(), new ImageTag(), new ProbesResources(),
            new OpenShiftRunAsUser(), new ArgsReplaceCommand(), new ScriptDirectoryUnread(), new DataDirectoryAtMountPoint());

    private WorkloadRules() {
    }

    static final class SameMajor extends LintRule {

        private static final Pattern LEADING_NUMBER = Pattern.compile("^(\\d+)");

        SameMajor() {
            super("PGR005", "same-major", Severity.ERROR,
                    "Physical replication needs the same PostgreSQL major on both sides, init container included: "
                            + "pg_basebackup refuses a server of another major, and a standby cannot replay its WAL.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            Map<String, Integer> majors = new LinkedHashMap<>();
            for (Workload w : ctx.workloads()) {
                if (!w.longRunning()) {
                    continue;
                }
                for (Container c : w.allContainers()) {
                    major(c.getImage()).ifPresent(m -> majors.put(w.resource().ref() + " " + c.getName(), m));
                }
            }
            if (majors.values().stream().distinct().count() <= 1) {
                return List.of();
            }
            return List.of(At.on(ctx.workloads().get(0).resource(), "containers[*].image",
                    "PostgreSQL majors differ: " + majors));
        }

        /** The major of an image's tag ({@code postgres:15.8} is 15), if the tag starts with a number. */
        static Optional<Integer> major(String image) {
            if (image == null || !image.contains(":")) {
                return Optional.empty();
            }
            Matcher m = LEADING_NUMBER.matcher(image.substring(image.lastIndexOf(':') + 1));
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        }
    }

    static final class ImageTag extends LintRule {

        ImageTag() {
            super("PGR013", "image-tag", Severity.WARNING,
                    "A floating tag (none, latest, or a bare major such as postgres:15) pulls another minor release on "
                            + "the next restart: master and replica can then run different builds.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            List<At> out = new ArrayList<>();
            for (Workload w : ctx.workloads()) {
                for (Container c : w.allContainers()) {
                    String image = c.getImage() == null ? "" : c.getImage();
                    if (isFloating(image)) {
                        out.add(w.at("containers[" + c.getName() + "].image", image + ": floating tag; pin a "
                                + "minor release (postgres:15.8) or a digest"));
                    }
                }
            }
            return out;
        }

        /** No digest, and a tag that is missing, {@code latest} or a bare major. */
        static boolean isFloating(String image) {
            if (image.contains("@sha256:")) {
                return false;
            }
            String tag = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
            return tag.isEmpty() || tag.equals("latest") || tag.matches("\\d+");
        }
    }

    static final class ProbesResources extends LintRule {

        ProbesResources() {
            super("PGR014", "probes-resources", Severity.WARNING,
                    "A long-running database container needs a readiness probe (Services route only to ready pods), a "
                            + "liveness probe, and memory limits (or one pod can starve the node).");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            List<At> out = new ArrayList<>();
            for (Workload w : ctx.workloads()) {
                if (!w.longRunning()) {
                    continue;
                }
                for (Container c : w.containers()) {
                    List<String> missing = missingProbesAndLimits(c);
                    if (!missing.isEmpty()) {
                        out.add(w.at("containers[" + c.getName() + "]", "no " + String.join(", ", missing)));
                    }
                }
            }
            return out;
        }

        private static List<String> missingProbesAndLimits(Container c) {
            List<String> missing = new ArrayList<>();
            if (c.getReadinessProbe() == null) {
                missing.add("readinessProbe");
            }
            if (c.getLivenessProbe() == null) {
                missing.add("livenessProbe");
            }
            if (c.getResources() == null || c.getResources().getLimits() == null
                    || !c.getResources().getLimits().containsKey("memory")) {
                missing.add("resources.limits.memory");
            }
            return missing;
        }
    }

    static final class OpenShiftRunAsUser extends LintRule {

        OpenShiftRunAsUser() {
            super("PGR018", "openshift-run-as-user", Severity.WARNING,
                    "Under OpenShift's restricted SCC a pod runs with a UID from the namespace's range; a forced runAsUser "
                            + "(the official image's 999, or 0) is refused at admission.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            List<At> out = new ArrayList<>();
            for (Workload w : ctx.workloads()) {
                PodSecurityContext psc = w.template().getSpec().getSecurityContext();
                if (psc != null && psc.getRunAsUser() != null) {
                    out.add(w.at("securityContext.runAsUser", "runAsUser " + psc.getRunAsUser()));
                }
                for (Container c : w.allContainers()) {
                    if (c.getSecurityContext() != null && c.getSecurityContext().getRunAsUser() != null) {
                        out.add(w.at("containers[" + c.getName() + "].securityContext.runAsUser",
                                "runAsUser " + c.getSecurityContext().getRunAsUser()));
                    }
                }
            }
            return out;
        }
    }

    static final class ArgsReplaceCommand extends LintRule {

        ArgsReplaceCommand() {
            super("PGR036", "args-replace-command", Severity.ERROR,
                    "A container's args replace its image's CMD. The official postgres image's entrypoint puts postgres "
                            + "before args that are options; the sclorg image's (OpenShift's postgresql templates) runs them "
                            + "as they are, so args of options run an option as a program and the container exits (127) at "
                            + "every restart: its options go after run-postgresql.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            List<At> out = new ArrayList<>();
            for (Workload w : ctx.workloads()) {
                for (Container c : w.allContainers()) {
                    List<String> args = Optional.ofNullable(c.getArgs()).orElse(List.of());
                    if (args.isEmpty() || (c.getCommand() != null && !c.getCommand().isEmpty())) {
                        continue;
                    }
                    ImageContract.find(c.getImage()).filter(image -> image.serverCommand(args).get(0).startsWith("-")).ifPresent(image -> out.add(
                            At.on(w.resource(), "spec.template.spec.containers[" + c.getName() + "].args", ctx.step(w.resource())
                                    + ": " + c.getImage() + " is " + image.description() + ": its " + image.entrypoint()
                                    + " runs the args " + args + " in place of " + image.command() + ", so `" + args.get(0)
                                    + "` is run as a program and the container exits; give " + image.command() + " first")));
                }
            }
            return out;
        }
    }

    static final class ScriptDirectoryUnread extends LintRule {

        ScriptDirectoryUnread() {
            super("PGR037", "script-directory-unread", Severity.ERROR,
                    "A script mounted where one image runs scripts (/docker-entrypoint-initdb.d for the official postgres "
                            + "image; postgresql-init/ and postgresql-start/ under /opt/app-root/src for the sclorg image) runs "
                            + "only in a container of that image: the sclorg image never reads /docker-entrypoint-initdb.d, "
                            + "and the official image no sclorg hook.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            List<At> out = new ArrayList<>();
            List<String> dirs = ImageContract.scriptDirectories();
            for (Workload w : ctx.workloads()) {
                for (Container c : w.allContainers()) {
                    Optional<ImageContract> image = ImageContract.find(c.getImage());
                    if (image.isEmpty()) {
                        continue;
                    }
                    for (VolumeMount m : Optional.ofNullable(c.getVolumeMounts()).orElse(List.of())) {
                        String path = m.getMountPath();
                        boolean scriptDir = dirs.stream().anyMatch(d -> path.equals(d) || path.startsWith(d + "/"));
                        if (scriptDir && !image.get().runsScriptAt(path + "/")) {
                            out.add(At.on(w.resource(), "spec.template.spec.containers[" + c.getName() + "].volumeMounts["
                                    + m.getName() + "]", ctx.step(w.resource()) + ": " + path + " is mounted where another "
                                    + "image runs scripts; " + c.getImage() + " (" + image.get().description() + ") never "
                                    + "reads it, so the script there never runs"));
                        }
                    }
                }
            }
            return out;
        }
    }

    static final class DataDirectoryAtMountPoint extends LintRule {

        DataDirectoryAtMountPoint() {
            super("PGR038", "pgdata-at-mount-point", Severity.ERROR,
                    "PGDATA is the mount point of a claim. A provisioned volume (OpenShift's) is a new filesystem whose "
                            + "root belongs to root and, on ext4, holds lost+found: initdb and pg_basebackup refuse a "
                            + "directory that is not empty, and a server one it does not own. PGDATA goes in a "
                            + "subdirectory of the mount, as the official image's documentation asks.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            List<At> out = new ArrayList<>();
            for (Workload w : ctx.workloads()) {
                var volumes = w.volumesByName();
                for (Container c : w.allContainers()) {
                    Optional<String> pgdata = Optional.ofNullable(c.getEnv()).orElse(List.of()).stream()
                            .filter(e -> "PGDATA".equals(e.getName()) && e.getValue() != null).map(e -> e.getValue())
                            .findFirst();
                    for (VolumeMount m : Optional.ofNullable(c.getVolumeMounts()).orElse(List.of())) {
                        var volume = volumes.get(m.getName());
                        boolean claim = volume != null && volume.getPersistentVolumeClaim() != null;
                        if (claim && pgdata.filter(p -> PodValues.stripSlash(p).equals(PodValues.stripSlash(m.getMountPath()))).isPresent()) {
                            out.add(At.on(w.resource(), "spec.template.spec.containers[" + c.getName() + "].env[PGDATA]",
                                    ctx.step(w.resource()) + ": PGDATA " + pgdata.get() + " is the mount point of the claim `"
                                            + volume.getPersistentVolumeClaim().getClaimName() + "`; on a provisioned volume "
                                            + "(lost+found, root's) it is refused: use a subdirectory such as "
                                            + PodValues.stripSlash(m.getMountPath()) + "/pgdata"));
                        }
                    }
                }
            }
            return out;
        }
    }
}
