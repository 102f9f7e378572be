package io.github.pgreplication.harness.lint;

import static io.github.pgreplication.harness.lint.PodValues.unquote;
import static io.github.pgreplication.harness.lint.PodValues.envValue;
import static io.github.pgreplication.harness.lint.PodValues.containerField;
import static io.github.pgreplication.harness.lint.PodValues.stripSlash;
import static io.github.pgreplication.harness.lint.PodValues.isOff;
import static io.github.pgreplication.harness.lint.PodValues.INCLUDE;
import static io.github.pgreplication.harness.lint.PodValues.ARCHIVE_TARGET;
import static io.github.pgreplication.harness.lint.PodServers.servers;
import io.github.pgreplication.harness.lint.PodValues.Judged;
import io.github.pgreplication.harness.lint.PodValues.Kind;
import io.github.pgreplication.harness.lint.PodServers.Server;
import io.github.pgreplication.harness.lint.PodServers.Setting;
import io.github.pgreplication.harness.lint.PodServers.Place;
import static io.github.pgreplication.harness.lint.LintContext.volumeMounts;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.github.pgreplication.harness.lint.LintContext.ServerFile;
import io.github.pgreplication.harness.lint.LintContext.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * {@link PodValues}' judgements of the paths a server's settings name: each must be on a mount the container has
 * (and can write, where the server writes).
 */
final class PathValues {

    private PathValues() {
    }

    /** A volume mount holding a path: its volume, what it is, and whether the container can write there. */
    record Mount(VolumeMount mount, Optional<Volume> volume, String type, boolean writable) {

        String describe() {
            return "the " + type + " `" + mount.getName() + "` mounted at " + mount.getMountPath();
        }

        boolean persistent() {
            return type.startsWith("claim");
        }
    }

    /** The mount of the container that holds the path (the deepest one), if any. */
    static Optional<Mount> mount(LintContext ctx, Workload w, Container c, String path) {
        String p = stripSlash(path);
        Optional<VolumeMount> vm = volumeMounts(c).stream()
                .filter(m -> p.equals(stripSlash(m.getMountPath())) || p.startsWith(stripSlash(m.getMountPath()) + "/"))
                .max((a, b) -> Integer.compare(a.getMountPath().length(), b.getMountPath().length()));
        if (vm.isEmpty()) {
            return Optional.empty();
        }
        Optional<Volume> v = Optional.ofNullable(w.volumesByName().get(vm.get().getName()));
        boolean readOnlyMount = Boolean.TRUE.equals(vm.get().getReadOnly());
        if (v.isEmpty()) {
            return Optional.of(new Mount(vm.get(), v, "undefined volume", false));
        }
        Volume volume = v.get();
        if (volume.getPersistentVolumeClaim() != null) {
            String claim = volume.getPersistentVolumeClaim().getClaimName();
            boolean readOnlyClaim = Boolean.TRUE.equals(volume.getPersistentVolumeClaim().getReadOnly())
                    || accessModes(ctx, claim).map(modes -> !modes.isEmpty() && modes.stream().allMatch("ReadOnlyMany"::equals))
                    .orElse(false);
            return Optional.of(new Mount(vm.get(), v, "claim " + claim, !readOnlyMount && !readOnlyClaim));
        }
        if (volume.getEmptyDir() != null) {
            return Optional.of(new Mount(vm.get(), v, "emptyDir", !readOnlyMount));
        }
        if (volume.getConfigMap() != null) {
            return Optional.of(new Mount(vm.get(), v, "ConfigMap " + volume.getConfigMap().getName(), false));
        }
        if (volume.getSecret() != null) {
            return Optional.of(new Mount(vm.get(), v, "Secret " + volume.getSecret().getSecretName(), false));
        }
        return Optional.of(new Mount(vm.get(), v, "volume", !readOnlyMount));
    }

    /** The access modes of a claim the manifests define. */
    static Optional<List<String>> accessModes(LintContext ctx, String claim) {
        return ctx.manifests().find("PersistentVolumeClaim", claim).map(r -> (PersistentVolumeClaim) r.resource())
                .map(pvc -> pvc.getSpec() == null || pvc.getSpec().getAccessModes() == null ? List.of()
                        : pvc.getSpec().getAccessModes());
    }

    static List<Judged> paths(LintContext ctx, List<Server> servers) {
        List<Judged> out = new ArrayList<>();
        for (Workload w : ctx.workloads()) {
            if (!w.longRunning()) {
                continue;
            }
            for (Container c : w.allContainers()) {
                envValue(c, "PGDATA").ifPresent(pgdata -> out.add(dataDirectory(ctx, w, c, "PGDATA=" + pgdata, pgdata,
                        Place.of(ctx, w.resource(), w.at(containerField(w, c) + ".env[PGDATA]", "")))));
            }
        }
        for (Server s : servers) {
            if (s.args().containsKey("data_directory")) {
                out.add(dataDirectory(ctx, s.workload(), s.container(), "data_directory=" + s.args().get("data_directory"),
                        s.args().get("data_directory"), Place.of(ctx, s.workload().resource(), s.workload().at(s.field(".args"), ""))));
            }
            for (String file : List.of("config_file", "hba_file", "ident_file")) {
                Setting f = s.setting(ctx, file, null, null);
                if (f.value() != null) {
                    out.add(serverFile(ctx, s, f));
                }
            }
            s.conf().ifPresent(conf -> out.addAll(includes(ctx, s, conf)));
            archiveTargets(ctx, s).forEach(out::add);
        }
        return out;
    }

    static Judged dataDirectory(LintContext ctx, Workload w, Container c, String value, String path, Place place) {
        Optional<Mount> m = mount(ctx, w, c, unquote(path));
        String where = "container " + c.getName() + " of " + w.resource().ref();
        if (m.isEmpty()) {
            return place.judged(Kind.PATH, value, false, "no mount of " + where + " holds it: the data directory is the "
                    + "container's own filesystem, lost whenever the pod is recreated; put it on the claim");
        }
        if (!m.get().writable()) {
            return place.judged(Kind.PATH, value, false, "it is on " + m.get().describe() + ", read-only: the server "
                    + "cannot write its data directory");
        }
        if (!m.get().persistent()) {
            return place.judged(Kind.PATH, value, false, "it is on " + m.get().describe() + ", which goes with the pod: "
                    + "the data directory is lost whenever the pod is recreated; put it on the claim");
        }
        return place.judged(Kind.PATH, value, true, "it is on " + m.get().describe() + " of " + where
                + ", writable, and outlives the pod");
    }

    static Judged serverFile(LintContext ctx, Server s, Setting f) {
        String path = unquote(f.value());
        String value = f.name() + "=" + path + " (" + f.origin() + ")";
        Optional<Mount> m = mount(ctx, s.workload(), s.container(), path);
        if (m.isEmpty()) {
            return f.place().judged(Kind.PATH, value, false, "no mount of " + s.name() + " holds it: in the pod the "
                    + "server finds no file there, and does not start");
        }
        if (m.get().volume().map(v -> v.getConfigMap() != null).orElse(false)
                && ctx.mountedFile(s.workload(), s.container(), path).isEmpty()) {
            return f.place().judged(Kind.PATH, value, false, "it is on " + m.get().describe() + ", which has no key for it: "
                    + "the server finds no file there, and does not start");
        }
        return f.place().judged(Kind.PATH, value, true, "it is on " + m.get().describe() + " of " + s.name());
    }

    static List<Judged> includes(LintContext ctx, Server s, ServerFile conf) {
        List<Judged> out = new ArrayList<>();
        String[] lines = conf.text().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = INCLUDE.matcher(lines[i]);
            if (!m.find() || !m.group(2).startsWith("/")) {
                continue;
            }
            Place place = Place.of(ctx, conf.configMap(), conf.at(i + 1, ""));
            String value = m.group(1) + " '" + m.group(2) + "'";
            Optional<Mount> mount = mount(ctx, s.workload(), s.container(), m.group(2));
            out.add(mount.isEmpty()
                    ? place.judged(Kind.PATH, value, false, "no mount of " + s.name() + " holds it: in the pod there is "
                            + "nothing there to read" + (m.group(1).equals("include") ? ", and the server does not start" : ""))
                    : place.judged(Kind.PATH, value, true, "it is on " + mount.get().describe() + " of " + s.name()));
        }
        return out;
    }

    /** The directories archive_command copies segments into, when archive_mode is on. */
    static List<Judged> archiveTargets(LintContext ctx, Server s) {
        Setting mode = s.setting(ctx, "archive_mode", "off", "PostgreSQL's default");
        if (isOff(unquote(mode.value()))) {
            return List.of();
        }
        Setting command = s.setting(ctx, "archive_command", "", "PostgreSQL's default");
        List<Judged> out = new ArrayList<>();
        Matcher m = ARCHIVE_TARGET.matcher(command.value());
        List<String> seen = new ArrayList<>();
        while (m.find()) {
            String target = m.group(1);
            String dir = target.substring(0, target.lastIndexOf('/'));
            if (dir.isEmpty() || seen.contains(dir)) {
                continue;
            }
            seen.add(dir);
            String value = "archive_command's directory " + dir + " (" + command.origin() + ")";
            Optional<Mount> mount = mount(ctx, s.workload(), s.container(), dir);
            if (mount.isEmpty()) {
                out.add(command.place().judged(Kind.PATH, value, false, "no mount of " + s.name() + " holds it: in the "
                        + "pod it is the image's filesystem, where the directory is absent (every archiving fails, and WAL "
                        + "piles up) or lost with the pod"));
            } else if (!mount.get().writable()) {
                out.add(command.place().judged(Kind.PATH, value, false, "it is on " + mount.get().describe()
                        + ", read-only: every archiving fails, and WAL piles up on the master"));
            } else {
                out.add(command.place().judged(Kind.PATH, value, true, "it is on " + mount.get().describe() + " of "
                        + s.name() + ", writable" + (mount.get().persistent() ? ""
                        : " (an archive there goes with the pod: PGR023 judges that)")));
            }
        }
        return out;
    }
}
