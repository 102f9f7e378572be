package io.github.pgreplication.harness.procedure;

import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.pgreplication.harness.backend.ClusterShell;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.guide.DeploymentPlan;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.guide.ResourcePlan;
import io.github.pgreplication.harness.run.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The replica's Deployment run by a cluster's own controller, for what only a cluster shows: its update strategy, and
 * « Recréer depuis zéro » under a controller that recreates a deleted pod at once. The harness's replica pod is
 * replaced by the Deployment's on the same claim; what happens is read from the cluster with {@code oc} (the
 * guide's CLI, kubectl where the cluster is not OpenShift), and the guide's own commands run as written. Where no
 * controller runs ({@link #standInThePairsProject}), the harness's pod stands for the Deployment's.
 */
public final class ReplicaDeployment {

    private static final Duration ROLLOUT = Duration.ofSeconds(180);
    private static final String RECREATE_ITEM = "procedure#troubleshooting/recreate-from-scratch";

    /** What a rollout showed: the most pods Ready at once, which ones, and the watch's lines. */
    public record Rollout(int mostReadyAtOnce, Set<String> readyTogether, List<String> watch) {
    }

    /** What « Recréer depuis zéro » left: its commands, and whether the replica's claim is a new one. */
    public record Recreation(ClusterCommands.SectionRun commands, String claimBefore, String claimAfter) {
    }

    /**
     * Étapes 2.3 and 2.5 as they ran: 2.3's {@code oc apply -f} as typed, 2.5's commands (the watch, the init
     * container's log, the server's), and the time it all took.
     */
    public record Watched(TypedApplies.Applied apply, ClusterCommands.SectionRun section, Duration took) {
    }

    /**
     * What {@code oc get … -o name} names of the replica's Deployment {@code name}: the Deployment, and the pods of its
     * selector.
     */
    public record Standing(String name, String deployment, List<String> pods) {
    }

    private final GuidePair pair;
    private final RunContext context;
    private final ClusterShell shell;
    private final ClusterCommands commands;
    private DeploymentPlan applied;

    public ReplicaDeployment(GuidePair pair, RunContext context) {
        this.context = context;
        this.pair = pair;
        this.commands = new ClusterCommands(pair, context);
        this.shell = pair.clusterShell().orElseThrow();
    }

    /**
     * {@code oc apply -f} of the replica's Deployment (of the manifests under test), as Étape 2.3's reader types it, in
     * place of the harness's pod, on the claim it used: the controller's pod finds the data there, its init container skips pg_basebackup, and the
     * replica streams again.
     */
    public void applyInPlaceOfThePod() {
        pair.deleteReplica();
        apply(pair.model());
        pair.awaitStreaming(Duration.ofSeconds(60));
    }

    /**
     * The replica's Deployment as {@code oc} sees it in the pair's project: on a cluster, run by its controller in place
     * of the harness's pod ({@link #applyInPlaceOfThePod}); elsewhere no controller runs, and the harness's pod of its
     * template stands for the Deployment's (an adaptation: the backend's {@code oc delete deployment} deletes that pod).
     */
    public Standing standInThePairsProject() {
        if (pair.backend().runsOnACluster()) {
            applyInPlaceOfThePod();
        } else {
            applied = pair.manifests().replicaDeploymentPlan(pair.model());
            context.evidence().adaptation("No controller runs the replica's Deployment `" + applied.name() + "` here: the "
                    + "harness's pod of its template stands for the Deployment's pod; the backend's `oc delete deployment` "
                    + "deletes it, as a cluster's garbage collector deletes a deleted Deployment's pods.");
        }
        ContainerResult d = oc("oc get deployment/" + applied.name() + " -o name", Duration.ofSeconds(30));
        ContainerResult p = oc("oc get pods -l " + selector() + " -o name", Duration.ofSeconds(30));
        if (!d.succeeded() || !p.succeeded()) {
            throw new AssertionError("oc get of the replica's Deployment and its pods failed: " + d.tail(5) + p.tail(5));
        }
        return new Standing(applied.name(), d.output().strip(), p.output().lines().toList());
    }

    /**
     * Étapes 2.1 and 2.3 on an empty claim, with the Deployment's controller running the pod (its init container's
     * pg_basebackup, then the server): 2.3's {@code oc apply -f} as its reader types it ({@link TypedApplies#deployment}),
     * watched with Étape 2.5's commands as written: the watch runs until
     * {@code oc rollout status} says the Deployment is rolled out, then is stopped as one stops it with Ctrl-C; a
     * follow ({@code oc logs -f}) is given {@code follow} (it ends only with its container).
     */
    public Watched deployOnAnEmptyClaimWatched(Duration follow) {
        pair.deleteReplica();
        String claim = pair.manifests().replicaClaimName();
        pair.backend().deleteClaim(claim);
        pair.backend().claim(claim);
        applied = pair.manifests().replicaDeploymentPlan(pair.model());
        long watchFor = context.waits().scaled(ROLLOUT).toSeconds();
        long followFor = context.waits().scaled(follow).toSeconds();
        context.evidence().adaptation("Étape 2.5: `oc get pods -l role=slave -w` runs until `oc rollout status deployment/"
                + applied.name() + "` says the Deployment is rolled out, then is stopped, as one stops a watch with Ctrl-C; "
                + "each `oc logs … -f` runs under `timeout " + followFor + "` (a follow ends only with its container).");
        long start = System.nanoTime();
        TypedApplies.Applied typed = requireApplied(new TypedApplies(pair, context).deployment());
        ClusterCommands.SectionRun run = commands.run("2.5", b -> true, Map.of(), List.of(), line -> line.endsWith(" -w")
                ? "{ " + line + " & W=$!; oc rollout status deployment/" + applied.name() + " --timeout=" + watchFor
                        + "s >/dev/null; rc=$?; kill $W; wait $W 2>/dev/null; (exit $rc); }"
                : line.endsWith(" -f") ? "timeout " + followFor + " " + line : line);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        pair.figure("2.5", "Deployment applied on an empty claim to rolled out, watched (Étape 2.5)", took.toMillis(), "ms");
        return new Watched(typed, run, took);
    }

    /** Whether Étape 2.5's watch saw a pod of the Deployment Running with its container Ready ({@code 1/1}). */
    public static boolean watchSawReady(Watched w) {
        return w.section().command("oc get pods").output().lines().anyMatch(ReplicaDeployment::runningAndReady);
    }

    /** Whether a line of {@code oc get pods} (or its watch) shows its pod Running with its one container Ready. */
    static boolean runningAndReady(String line) {
        String[] f = line.trim().split("\\s+");
        return f.length >= 3 && f[1].equals("1/1") && f[2].equals("Running");
    }

    /** What Étape 2.5's {@code oc logs -c <container> -f} printed. */
    public static String log(Watched w, String container) {
        return w.section().commands().stream().filter(c -> c.guideLine().startsWith("oc logs")
                && c.guideLine().contains("-c " + container + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("Étape 2.5 has no `oc logs … -c " + container + "` line")).output();
    }

    /** Erratum E17's check on Étape 2.5's own {@code oc logs -c postgresql -f}: the server's messages are there. */
    public String serverMessagesInOcLogs(Watched w, String container) {
        String out = log(w, container);
        return ServerLogs.serverMessagesInOcLogs(context, out.contains(ServerLogs.STREAMING),
                out.contains(ServerLogs.REDIRECTED));
    }

    /**
     * {@code model}'s Deployment, rolled out: the manifests under test's by its file, as Étape 2.3's reader types it
     * ({@link TypedApplies#deployment}); the corrected manifests' (an erratum's correction) as the harness applies a
     * Deployment, with the ConfigMaps its pod mounts, which a correction may change too.
     */
    private void apply(GuideModel model) {
        applied = pair.manifests().replicaDeploymentPlan(model);
        if (model == pair.model()) {
            requireApplied(new TypedApplies(pair, context).deployment());
        } else {
            pair.backend().applyDeployment(applied);
        }
        awaitRolledOut();
    }

    private static TypedApplies.Applied requireApplied(TypedApplies.Applied typed) {
        if (typed.run().exitCode() != 0 || !typed.differences().isEmpty()) {
            throw new AssertionError("Étape 2.3's `" + typed.run().guideLine() + "`, as typed: " + typed.run()
                    + (typed.differences().isEmpty() ? "" : "; the cluster's Deployment is not its file's: " + typed.differences()));
        }
        return typed;
    }

    private void awaitRolledOut() {
        ContainerResult r = oc("oc rollout status deployment/" + applied.name() + " --timeout="
                + context.waits().scaled(ROLLOUT).toSeconds() + "s", ROLLOUT.plusSeconds(10));
        if (!r.succeeded()) {
            throw new AssertionError("Deployment " + applied.name() + " did not roll out:\n" + r.tail(20) + "\n"
                    + oc("oc get pods -l " + selector() + " -o wide; oc get events --sort-by=.lastTimestamp | tail -15",
                    Duration.ofSeconds(30)).output());
        }
    }

    /**
     * A new revision of the Deployment rolled out ({@code oc rollout restart}, as any change of its template does),
     * watched with Étape 2.5's {@code oc get pods -w} until {@code oc rollout status} says it is done. The verbatim
     * item: at no moment may two of its pods be Ready on the one claim; on a deviation, the corrected Deployment is
     * applied and rolled out the same way, and must hold.
     */
    public Rollout rollOutANewRevision() {
        return oneServerAtATime(this::rollOut, r -> r);
    }

    /**
     * Erratum E23's item around a new revision that {@code revise} makes and watches: at no moment may two of the
     * Deployment's pods be Ready on its claim; on a deviation the corrected Deployment is applied and {@code revise}
     * runs again on it, and must hold. Whatever made the revision, what is seen is E23's, and it says so in E23's words.
     */
    private <T> T oneServerAtATime(Supplier<T> revise, Function<T, Rollout> rollout) {
        String item = "deployment/" + pair.manifests().guideNames().get(GuideNames.Role.REPLICA_POD) + "#strategy";
        context.evidence().executed(item);
        return context.ledger().verbatim(item, () -> {
            T t = revise.get();
            if (rollout.apply(t).mostReadyAtOnce() > 1) {
                throw Deviation.result(item, "one pod at a time on the claim",
                        "two pods of the Deployment were Ready at once on its claim during a rollout").raise();
            }
            return t;
        }, () -> {
            apply(pair.manifests().corrected());
            T t = revise.get();
            Rollout r = rollout.apply(t);
            if (r.mostReadyAtOnce() > 1) {
                throw new AssertionError("the corrected Deployment too had " + r.readyTogether() + " Ready at once:\n"
                        + String.join("\n", r.watch()));
            }
            return t;
        });
    }

    private Rollout rollOut() {
        String name = applied.name();
        ContainerResult r = oc("oc get pods -l " + selector() + " -w --no-headers & W=$!\n"
                + "oc rollout restart deployment/" + name + " >/dev/null\n"
                + "oc rollout status deployment/" + name + " --timeout=" + context.waits().scaled(ROLLOUT).toSeconds()
                + "s >/dev/null; rc=$?\n"
                + "kill $W; wait $W 2>/dev/null; exit $rc", ROLLOUT.plusSeconds(10));
        List<String> watch = r.output().lines().filter(l -> !l.isBlank()).toList();
        if (!r.succeeded()) {
            throw new AssertionError("Deployment " + name + " did not roll out a new revision (exit " + r.exitCode() + "):\n"
                    + String.join("\n", watch));
        }
        return rollout(watch);
    }

    /** What {@code oc get pods -w --no-headers} showed of a rollout: the most pods Ready at once; noted for the report. */
    private Rollout rollout(List<String> watch) {
        String name = applied.name();
        Map<String, Boolean> ready = new LinkedHashMap<>();
        int most = 0;
        Set<String> together = Set.of();
        for (String line : watch) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3) {
                continue;
            }
            ready.put(f[0], f[1].equals("1/1") && f[2].equals("Running"));
            Set<String> now = ready.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            if (now.size() > most) {
                most = now.size();
                together = now;
            }
        }
        if (ready.size() < 2) {
            throw new AssertionError("the watch saw " + ready.keySet() + ", not the old pod and the new one:\n"
                    + String.join("\n", watch));
        }
        context.evidence().note("2.3", "A rollout of Deployment `" + name + "` (strategy " + applied.strategyType()
                .orElse("absent: RollingUpdate") + "), watched with `oc get pods -w`: at most " + most
                + " of its pods Ready at once (" + String.join(", ", together) + ").");
        return new Rollout(most, together, watch);
    }

    /** What « Augmenter les ressources du slave » did: its {@code oc edit}, the resources before and after, the rollout. */
    public record ResourcesRaised(ClusterCommands.CommandRun edit, ResourcePlan before, ResourcePlan after, Rollout rollout) {
    }

    /**
     * « Lag de réplication élevé », solution 1, « Augmenter les ressources du slave »: {@code oc edit deployment
     * postgresql-slave} as written, the reader's editor replaced by one that writes the Deployment with the memory and
     * cpu of its server's container doubled (the change the guide's comment asks for), watched with Étape 2.5's
     * {@code oc get pods -w} until {@code oc rollout status} says the new revision is out. Through erratum E23's item, as
     * {@link #rollOutANewRevision}: at no moment may two of its pods be Ready on its claim.
     */
    public ResourcesRaised raiseResourcesAsTyped() {
        return oneServerAtATime(this::editResources, ResourcesRaised::rollout);
    }

    private ResourcesRaised editResources() {
        String container = applied.containers().get(0).containerName();
        Path dir = RunDirectory.scratch("edit");
        try {
            ContainerResult got = oc("oc get deployment/" + applied.name() + " -o yaml", Duration.ofSeconds(30));
            if (!got.succeeded()) {
                throw new AssertionError("oc get deployment/" + applied.name() + ": " + got.tail(10));
            }
            var serialization = new KubernetesSerialization();
            var deployment = serialization.unmarshal(got.output(), Deployment.class);
            var c = deployment.getSpec().getTemplate().getSpec().getContainers().stream().filter(x -> x.getName().equals(container))
                    .findFirst().orElseThrow(() -> new AssertionError("Deployment " + applied.name() + " has no container " + container));
            ResourcePlan before = ResourcePlan.of(c.getResources());
            c.setResources(before.times(2).requirements());
            Path edited = dir.resolve("edited.yaml");
            Files.writeString(edited, serialization.asYaml(deployment));
            Path watchFile = dir.resolve("watch.txt");
            long timeout = context.waits().scaled(ROLLOUT).toSeconds();
            context.evidence().adaptation("« Augmenter les ressources du slave »: `oc edit` as written, with the reader's editor "
                    + "(KUBE_EDITOR) one that writes the Deployment with the memory and cpu of its server's container doubled; "
                    + "watched with Étape 2.5's `oc get pods -w` until `oc rollout status` says the new revision is out.");
            ClusterCommands.SectionRun run = commands.run("troubleshooting-lag", b -> b.text().contains("oc edit"), Map.of(),
                    List.of("export KUBE_EDITOR='cp " + edited + "'"), line -> "{ oc get pods -l " + selector()
                            + " -w --no-headers > '" + watchFile + "' & W=$!; " + line + "; rc=$?; oc rollout status deployment/"
                            + applied.name() + " --timeout=" + timeout + "s >/dev/null; kill $W; wait $W 2>/dev/null; (exit $rc); }");
            ClusterCommands.CommandRun edit = run.command("oc edit");
            List<String> watch = Files.readAllLines(watchFile).stream().filter(l -> !l.isBlank()).toList();
            Rollout rollout = rollout(watch);
            return new ResourcesRaised(edit, before, podResources(container), rollout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            RunDirectory.deleteTree(dir);
        }
    }

    /** The resources of container {@code container} in the Deployment's pods that are not being deleted, as written. */
    private ResourcePlan podResources(String container) {
        ContainerResult r = oc("oc get pods -l " + selector() + " -o json", Duration.ofSeconds(30));
        var pods = new KubernetesSerialization().unmarshal(r.output(), PodList.class);
        List<ResourcePlan> found = pods.getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .flatMap(p -> p.getSpec().getContainers().stream()).filter(c -> c.getName().equals(container))
                .map(c -> ResourcePlan.of(c.getResources())).distinct().toList();
        if (found.size() != 1) {
            throw new AssertionError("the Deployment's pods show " + found.size() + " sets of resources for " + container
                    + ", not one: " + found);
        }
        return found.get(0);
    }

    /**
     * « Recréer depuis zéro » as written ({@code oc delete pod $SLAVE_POD}, {@code oc delete pvc}, {@code oc apply -f
     * postgresql-slave-pvc.yaml}), with {@code SLAVE_POD} set by Étape 2.5's own line, from the manifests' directory,
     * each command given {@code perCommand} before it is reported as waiting (on a finalizer, say). The verbatim item: the replica's claim is
     * a new one afterwards. On a deviation, the erratum's corrected commands run, and the claim must be new.
     */
    public Recreation recreateFromScratch(Duration perCommand) {
        context.evidence().executed(RECREATE_ITEM);
        String claim = pair.manifests().replicaClaimName();
        String before = claimUid(claim);
        List<String> podsBefore = podNames();
        return context.ledger().verbatim(RECREATE_ITEM, () -> {
            ClusterCommands.SectionRun run = guideRecreate(claim, perCommand);
            String after = awaitClaimSettled(claim, before);
            if (before.equals(after)) {
                boolean recreated = podNames().stream().anyMatch(p -> !podsBefore.contains(p));
                throw Deviation.result(RECREATE_ITEM, "the replica on a new, empty claim", recreated
                        ? "the Deployment recreated the pod at once; it still mounts the old claim, which oc delete pvc waits on"
                        : "the old claim is still there").raise();
            }
            return new Recreation(run, before, after);
        }, () -> {
            List<String> lines = commands.correctedCommands(RECREATE_ITEM);
            StringBuilder script = new StringBuilder("cd '" + manifestsDir(claim) + "' || exit 1\nset -e\n");
            lines.forEach(l -> script.append(l).append('\n'));
            ContainerResult r = oc(script.toString(), ROLLOUT.plusSeconds(30));
            if (!r.succeeded()) {
                throw new AssertionError("the corrected commands of " + RECREATE_ITEM + " failed (exit " + r.exitCode() + "):\n"
                        + r.tail(20));
            }
            String after = awaitClaimSettled(claim, before);
            if (before.equals(after)) {
                throw new AssertionError("after the corrected commands of " + RECREATE_ITEM + " the claim is still the old one");
            }
            return new Recreation(null, before, after);
        });
    }

    private ClusterCommands.SectionRun guideRecreate(String claim, Duration perCommand) {
        String setSlavePod = commands.slavePodLine();
        long timeout = context.waits().scaled(perCommand).toSeconds();
        context.evidence().adaptation("« Recréer depuis zéro »: run from the manifests' directory (where `oc apply -f "
                + "postgresql-slave-pvc.yaml` finds its file), with `SLAVE_POD` set by Étape 2.5's own line, each command "
                + "under `timeout " + timeout + "` so that one waiting on the cluster is reported rather than waited for.");
        return commands.run("troubleshooting-slave-start", b -> b.text().contains("oc delete pvc"), Map.of(),
                List.of("cd '" + manifestsDir(claim) + "' || exit 1", setSlavePod), l -> "timeout " + timeout + " " + l);
    }

    /**
     * The claim's uid once it is Bound, or a new one waiting for its first consumer (a StorageClass that binds on
     * {@code WaitForFirstConsumer} binds a claim only when a pod using it is scheduled); the uid of the old one if it is
     * still there, being deleted.
     */
    private String awaitClaimSettled(String claim, String before) {
        List<String> last = new ArrayList<>();
        context.waits().until("claim " + claim + " Bound or new, or still the old one (being deleted)", Duration.ofSeconds(60),
                Duration.ofMillis(500), () -> {
                    String s = oc("oc get pvc " + claim + " -o jsonpath='{.metadata.uid} {.status.phase} "
                            + "{.metadata.deletionTimestamp}'", Duration.ofSeconds(30)).output().trim();
                    last.clear();
                    last.add(s);
                    String[] f = s.split("\\s+");
                    return f.length >= 2 && (f[1].equals("Bound") || f.length == 3 || !f[0].equals(before));
                }, () -> "oc get pvc " + claim + ": " + last);
        return last.get(0).split("\\s+")[0];
    }

    private List<String> podNames() {
        return java.util.Arrays.stream(oc("oc get pods -l " + selector() + " -o jsonpath='{.items[*].metadata.name}'",
                Duration.ofSeconds(30)).output().trim().split("\\s+")).filter(p -> !p.isBlank()).toList();
    }

    private String claimUid(String claim) {
        return oc("oc get pvc " + claim + " -o jsonpath='{.metadata.uid}'", Duration.ofSeconds(30)).output().trim();
    }

    private Path manifestsDir(String claim) {
        return pair.model().manifests().require("PersistentVolumeClaim", claim).file().toAbsolutePath().getParent();
    }

    private String selector() {
        return applied.selector().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    private ContainerResult oc(String script, Duration timeout) {
        return shell.run(script, context.waits().scaled(timeout));
    }
}
