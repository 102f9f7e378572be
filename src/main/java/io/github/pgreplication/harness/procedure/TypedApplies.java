package io.github.pgreplication.harness.procedure;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.HbaCidrs;
import io.github.pgreplication.harness.guide.LoadedResource;
import io.github.pgreplication.harness.guide.RunSecrets;
import io.github.pgreplication.harness.run.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Étapes 1.2 to 1.4, 2.1, 2.2 and 2.4 as their reader types them: each {@code oc apply -f FILE.yaml}, run in a
 * directory holding the pair's manifests files, on a master as it was before the guide (none of those objects exists
 * yet), and what it made read back from the cluster and compared with what its file writes: a ConfigMap's data, a
 * Secret's values, a claim's size, access and class, a Service's selector and ports. Étape 1.2's file holds a
 * placeholder where its reader is told to put a strong password: the copy applied holds this run's (a file of the
 * run's, deleted once applied). Étape 2.3's Deployment is applied the same way ({@link #deployment}) where its pod can
 * start: on a pair that has been through Phase 1, its claim, ConfigMap and Secrets in place.
 */
public final class TypedApplies {

    static final List<String> STEPS = List.of("1.2", "1.3", "1.4", "2.1", "2.2", "2.4");
    static final String DEPLOYMENT_STEP = "2.3";
    private static final Pattern IMAGE = Pattern.compile("(?m)^(\\s*)(- )?image:\\s*[\"']?([^\"'\\s#]+)[\"']?.*$");
    private static final Pattern PULL_POLICY = Pattern.compile("(?m)^\\s*imagePullPolicy:.*\\n");
    private static final Pattern APPLY = Pattern.compile("^oc apply -f (\\S+\\.yaml)$");
    private static final Duration LOOK = Duration.ofSeconds(30);

    /** One {@code oc apply -f} line: what it printed, and how each object of its file differs from what the cluster holds. */
    public record Applied(String step, ClusterCommands.CommandRun run, List<String> objects, List<String> differences) {
    }

    private final GuidePair pair;
    private final RunContext context;
    private final ClusterCommands commands;
    private final KubernetesSerialization yaml = new KubernetesSerialization();

    public TypedApplies(GuidePair pair, RunContext context) {
        this.pair = pair;
        this.context = context;
        this.commands = new ClusterCommands(pair, context);
    }

    /** Each step's {@code oc apply -f} as written, in order, then what it made compared with its file. */
    public List<Applied> run() {
        return run(STEPS);
    }

    /** Phase 1's: Étapes 1.2 to 1.4, the Secret and the two ConfigMaps the master's Étape 1.5 refers to. */
    public List<Applied> phase1() {
        return run(STEPS.subList(0, 3));
    }

    private List<Applied> run(List<String> steps) {
        context.evidence().adaptation("Étapes " + String.join(", ", steps) + " as typed: their `oc apply -f` run in a "
                + "directory holding the pair's manifests files, where Étape 1.2's file has this run's password in place of "
                + "its placeholder, as its reader is told to put one (the copy is deleted once applied).");
        Path dir = RunDirectory.scratch("apply");
        try {
            stage(dir, steps);
            List<Applied> out = new ArrayList<>();
            for (String step : steps) {
                ClusterCommands.SectionRun run = commands.run(step, b -> true, l -> APPLY.matcher(l).matches(), Map.of(),
                        List.of("cd '" + dir + "' || exit 1"), UnaryOperator.identity());
                for (ClusterCommands.CommandRun c : run.commands()) {
                    out.add(checked(step, c));
                }
            }
            return out;
        } finally {
            RunDirectory.deleteTree(dir);
        }
    }

    /**
     * Étape 2.3 as typed: its {@code oc apply -f postgresql-slave-deployment.yaml}, run in a directory holding the
     * pair's file of the replica's Deployment, on a pair through Phase 1 whose replica's claim, ConfigMap and Secrets
     * are in place; what it made read back and compared with its file. The file is the reader's but for what this host
     * must change, each listed: its images, where the cluster cannot pull them ({@link #copy}), and its PGDATA where
     * erratum E28 reproduced on this pair and its correction holds.
     */
    public Applied deployment() {
        Path dir = RunDirectory.scratch("apply");
        try {
            stage(dir, List.of(DEPLOYMENT_STEP));
            ClusterCommands.SectionRun run = commands.run(DEPLOYMENT_STEP, b -> true, l -> APPLY.matcher(l).matches(),
                    Map.of(), List.of("cd '" + dir + "' || exit 1"), UnaryOperator.identity());
            return checked(DEPLOYMENT_STEP, run.commands().get(0));
        } finally {
            RunDirectory.deleteTree(dir);
        }
    }

    /** Copies into {@code dir}, before its line runs, the file each step's line names. */
    private void stage(Path dir, List<String> steps) {
        for (String step : steps) {
            for (var b : context.guide().blocks()) {
                if (b.step().equals(step) && b.language().equals("bash")) {
                    b.commands().stream().map(APPLY::matcher).filter(Matcher::matches).forEach(m -> copy(m.group(1), dir));
                }
            }
        }
    }

    private void copy(String file, Path dir) {
        List<LoadedResource> in = inFile(file);
        try {
            String text = Files.readString(in.get(0).file());
            for (LoadedResource r : in) {
                if (r.resource() instanceof Secret s && s.getStringData() != null) {
                    Map<String, String> values = pair.manifests().secretData(s.getMetadata().getName());
                    for (Map.Entry<String, String> e : s.getStringData().entrySet()) {
                        if (RunSecrets.isPlaceholder(e.getValue())) {
                            text = text.replace(e.getValue(), "'" + values.get(e.getKey()).replace("'", "''") + "'");
                        }
                    }
                }
            }
            text = withClusterNetwork(file, text, in);
            text = withClusterImages(file, text);
            text = withCorrectedDataDirectory(file, text);
            // Under the name the line will have once the pair's shell gives it the pair's names (a shared namespace's
            // suffix reaches `postgresql-master-config.yaml` as it reaches the ConfigMap's name).
            Files.writeString(dir.resolve(pair.manifests().inPairNames(file)), text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + file + " into " + dir, e);
        }
    }

    /**
     * A ConfigMap's pg_hba.conf with this cluster's pod network in place of the CIDR it names, as the guide's « Points
     * d'attention » tell its reader (« À ajuster selon votre configuration réseau »): the data the check then expects.
     */
    private Map<String, String> expectedData(ConfigMap file) {
        Map<String, String> data = new LinkedHashMap<>(Optional.ofNullable(file.getData()).orElse(Map.of()));
        pair.backend().podNetwork().ifPresent(cidr -> data.replaceAll((k, v) -> HbaCidrs.isHbaFile(k)
                ? HbaCidrs.replace(v, cidr, (from, to) -> { }) : v));
        return data;
    }

    /** {@code text}, the file of {@code in}, with its ConfigMaps' pg_hba.conf naming this cluster's pod network. */
    private String withClusterNetwork(String file, String text, List<LoadedResource> in) {
        boolean hba = in.stream().anyMatch(r -> r.resource() instanceof ConfigMap c && c.getData() != null
                && c.getData().keySet().stream().anyMatch(k -> HbaCidrs.isHbaFile(k)));
        return hba ? pair.backend().podNetwork().map(cidr -> HbaCidrs.replace(text, cidr, (from, to) -> context.evidence()
                .adaptation("`" + file + "` as typed: pg_hba.conf's `" + from + "` → `" + to + "`, this cluster's pod "
                        + "network, as the guide's « Points d'attention » tell its reader to adjust it."))).orElse(text) : text;
    }

    /**
     * Each image of {@code text} as this cluster runs it ({@link io.github.pgreplication.harness.backend.Backend#clusterImage}):
     * on the offline cluster the stand-in, with {@code imagePullPolicy: Never} (no registry is reachable).
     */
    private String withClusterImages(String file, String text) {
        Matcher m = IMAGE.matcher(text);
        StringBuilder out = new StringBuilder();
        boolean never = false;
        while (m.find()) {
            String image = m.group(3);
            var onCluster = pair.backend().clusterImage(image).orElse(null);
            String replacement = m.group();
            if (onCluster != null && !onCluster.image().equals(image)) {
                String indent = m.group(1) + (m.group(2) == null ? "" : "  ");
                replacement = m.group(1) + (m.group(2) == null ? "" : "- ") + "image: " + onCluster.image()
                        + (onCluster.neverPulled() ? "\n" + indent + "imagePullPolicy: Never" : "");
                never |= onCluster.neverPulled();
                context.evidence().adaptation("Étape 2.3 as typed: `" + file + "`'s image `" + image + "` → `"
                        + onCluster.image() + "`" + (onCluster.neverPulled() ? " with `imagePullPolicy: Never`" : "")
                        + ", what this cluster runs for it.");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        // one imagePullPolicy per container: the file's own, if any, gives way to Never
        return never ? PULL_POLICY.matcher(out.toString()).replaceAll(mr -> mr.group().contains("Never")
                ? Matcher.quoteReplacement(mr.group()) : "") : out.toString();
    }

    /** The replica's PGDATA as corrected, where erratum E28 reproduced on this pair and its correction holds. */
    private String withCorrectedDataDirectory(String file, String text) {
        var change = pair.manifests().replicaDataDirectoryChange();
        if (change.isEmpty() || !text.contains("kind: Deployment")) {
            return text;
        }
        Pattern pgdata = Pattern.compile("(name:\\s*PGDATA\\s*\\n\\s*value:\\s*)[\"']?" + Pattern.quote(change.get().getKey())
                + "[\"']?(?=\\s*(#.*)?$)", Pattern.MULTILINE);
        Matcher m = pgdata.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException(file + ": E28's correction holds on this pair, but no `- name: PGDATA` followed by "
                    + "`value: " + change.get().getKey() + "` was found to correct");
        }
        context.evidence().adaptation("Étape 2.3 as typed: `" + file + "`'s PGDATA `" + change.get().getKey() + "` → `"
                + change.get().getValue() + "`, erratum E28's correction, which holds on this pair since E28 reproduced.");
        return m.replaceAll(mr -> Matcher.quoteReplacement(mr.group(1) + change.get().getValue()));
    }

    /** The objects of the pair's manifests defined in {@code file}; an error naming the file when there are none. */
    private List<LoadedResource> inFile(String file) {
        List<LoadedResource> in = pair.model().manifests().resources().stream()
                .filter(r -> r.file().getFileName().toString().equals(file)).toList();
        if (in.isEmpty()) {
            throw new AssertionError("the guide's `oc apply -f " + file + "` names a file the manifests under test do not have");
        }
        return in;
    }

    /** The same line's objects compared again with their files, as they are on the cluster now. */
    public Applied checkedAgain(Applied a) {
        return checked(a.step(), a.run());
    }

    private Applied checked(String step, ClusterCommands.CommandRun c) {
        Matcher m = APPLY.matcher(c.guideLine());
        if (!m.matches()) {
            throw new IllegalStateException("not an `oc apply -f` line: " + c.guideLine());
        }
        List<String> objects = new ArrayList<>();
        List<String> differences = new ArrayList<>();
        for (LoadedResource r : inFile(m.group(1))) {
            String name = r.kind() + "/" + r.resource().getMetadata().getName();
            objects.add(name);
            ContainerResult live = pair.clusterShell().orElseThrow().run("oc get " + name.toLowerCase(Locale.ROOT)
                    + " -o json", context.waits().scaled(LOOK));
            if (!live.succeeded()) {
                differences.add(name + ": not on the cluster (" + live.tail(3).strip() + ")");
                continue;
            }
            differences.addAll(compare(name, r.resource(), yaml.unmarshal(live.output())));
        }
        return new Applied(step, c, List.copyOf(objects), List.copyOf(differences));
    }

    /** How the live object differs from its file in what the file writes; never a Secret's value. */
    private List<String> compare(String name, HasMetadata file, HasMetadata live) {
        List<String> out = new ArrayList<>();
        if (file instanceof ConfigMap f && live instanceof ConfigMap l) {
            if (!Objects.equals(expectedData(f), Optional.ofNullable(l.getData()).orElse(Map.of()))) {
                out.add(name + ": data differs from the file's (keys " + keys(f.getData()) + " in the file, " + keys(l.getData())
                        + " on the cluster)");
            }
        } else if (file instanceof Secret f && live instanceof Secret l) {
            // The shell's output comes redacted: each value is compared by its digest, read in the shell.
            Map<String, String> want = pair.manifests().secretData(f.getMetadata().getName());
            Set<String> got = Optional.ofNullable(l.getData()).orElse(Map.of()).keySet();
            if (!want.keySet().equals(got)) {
                out.add(name + ": keys " + new TreeSet<>(got) + " on the cluster, " + new TreeSet<>(want.keySet())
                        + " in the file");
            } else {
                want.forEach((k, v) -> {
                    ContainerResult digest = pair.clusterShell().orElseThrow().run("oc get " + name.toLowerCase(Locale.ROOT)
                            + " -o jsonpath='{.data." + k + "}' | base64 -d | sha256sum", context.waits().scaled(LOOK));
                    if (!digest.output().strip().startsWith(sha256(v) + " ")) {
                        out.add(name + ": the value of " + k + " is not the file's (values not shown)");
                    }
                });
            }
        } else if (file instanceof PersistentVolumeClaim f && live instanceof PersistentVolumeClaim l) {
            if (!Objects.equals(f.getSpec().getResources().getRequests(), l.getSpec().getResources().getRequests())
                    || !Objects.equals(f.getSpec().getAccessModes(), l.getSpec().getAccessModes())
                    || f.getSpec().getStorageClassName() != null
                    && !f.getSpec().getStorageClassName().equals(l.getSpec().getStorageClassName())) {
                out.add(name + ": requests " + l.getSpec().getResources().getRequests() + ", access " + l.getSpec().getAccessModes()
                        + ", class " + l.getSpec().getStorageClassName() + " on the cluster; the file's: "
                        + f.getSpec().getResources().getRequests() + ", " + f.getSpec().getAccessModes() + ", "
                        + f.getSpec().getStorageClassName());
            }
        } else if (file instanceof Service f && live instanceof Service l) {
            if (!Objects.equals(f.getSpec().getSelector(), l.getSpec().getSelector())
                    || !ports(f).equals(ports(l))) {
                out.add(name + ": selector " + l.getSpec().getSelector() + ", ports " + ports(l) + " on the cluster; the file's: "
                        + f.getSpec().getSelector() + ", " + ports(f));
            }
        } else if (file instanceof Deployment f && live instanceof Deployment l) {
            if (!shape(f).equals(shape(l))) {
                out.add(name + ": " + shape(l) + " on the cluster; the file's: " + shape(f));
            }
        } else {
            out.add(name + ": a " + file.getKind() + " on the cluster is " + live.getKind());
        }
        return out;
    }

    /**
     * What a Deployment's file decides of its pods, images aside (this cluster may run a stand-in): its replicas and
     * selector, each container's name, command and args, each volume's claim or ConfigMap.
     */
    private static String shape(Deployment d) {
        var spec = d.getSpec().getTemplate().getSpec();
        UnaryOperator<List<io.fabric8.kubernetes.api.model.Container>> none = c -> c == null ? List.of() : c;
        return "replicas " + Optional.ofNullable(d.getSpec().getReplicas()).orElse(1) + ", selector "
                + d.getSpec().getSelector().getMatchLabels() + ", init containers "
                + none.apply(spec.getInitContainers()).stream().map(c -> c.getName() + " " + c.getCommand() + " " + c.getArgs()).toList()
                + ", containers " + none.apply(spec.getContainers()).stream().map(c -> c.getName() + " " + c.getCommand() + " "
                        + c.getArgs()).toList()
                + ", volumes " + Optional.ofNullable(spec.getVolumes()).orElse(List.of()).stream().map(v -> v.getName() + "→"
                        + (v.getPersistentVolumeClaim() != null ? "claim " + v.getPersistentVolumeClaim().getClaimName()
                        : v.getConfigMap() != null ? "configMap " + v.getConfigMap().getName() : "other")).toList();
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> ports(Service s) {
        return s.getSpec().getPorts().stream().map((ServicePort p) -> p.getPort() + "→" + (p.getTargetPort() == null
                ? p.getPort() : p.getTargetPort().getIntVal() != null ? p.getTargetPort().getIntVal()
                : p.getTargetPort().getStrVal())).toList();
    }

    private static Object keys(Map<String, String> m) {
        return m == null ? "none" : new TreeSet<>(m.keySet());
    }
}
