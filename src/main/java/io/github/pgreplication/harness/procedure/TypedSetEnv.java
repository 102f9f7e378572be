package io.github.pgreplication.harness.procedure;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.clients.ApplicationLogin;
import io.github.pgreplication.harness.clients.GuideUrl;
import io.github.pgreplication.harness.run.Secrets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * « Stratégie de répartition lecture/écriture »'s {@code oc set env deployment/mon-application …} as its reader types
 * it, on a cluster: the reader's application is a stand-in the harness deploys under the name the line gives (a
 * container of the image the pair's servers run, for its psql, that does nothing else), the URLs' placeholder password
 * the application role's of this run ({@link ApplicationRouting#prepare}). What the line did is read back: the
 * Deployment's new pod has both variables, and psql, in that pod, through each, reaches the server the guide says.
 */
public final class TypedSetEnv {

    /**
     * What the line did.
     *
     * @param setEnv  the line as it ran
     * @param env     the variables of the application's pod of the new revision (redacted)
     * @param reached per variable, what psql through it printed in that pod: {@code in_recovery/transaction_read_only}
     */
    public record SetEnv(ClusterCommands.CommandRun setEnv, Map<String, String> env, Map<String, String> reached) {
    }

    private static final Pattern SET_ENV = Pattern.compile("oc set env deployment/(\\S+)");
    private static final Duration ROLLOUT = StandInApplication.ROLLOUT;
    private static final Duration LOOK = Duration.ofSeconds(30);

    private final GuidePair pair;
    private final RunContext context;
    private final ApplicationRouting routing;
    private final ClusterCommands commands;
    private final String guideName;
    private final String name;
    private final StandInApplication application;

    public TypedSetEnv(GuidePair pair, RunContext context, ApplicationRouting routing) {
        this.pair = pair;
        this.context = context;
        this.routing = routing;
        this.commands = new ClusterCommands(pair, context);
        this.guideName = context.guide().blocks().stream().filter(b -> b.step().equals(ApplicationRouting.STEP))
                .map(b -> SET_ENV.matcher(b.text())).filter(Matcher::find).map(m -> m.group(1)).findFirst()
                .orElseThrow(() -> new IllegalStateException("« Stratégie de répartition » has no `oc set env deployment/…`"));
        this.name = pair.manifests().inPairNames(guideName);
        this.application = new StandInApplication(pair, context, name, "« Stratégie de répartition »'s `oc set env`");
    }

    /**
     * The reader's application, a stand-in: a Deployment named as the line names it, one container of the image the
     * pair's servers run (its psql), which sleeps; rolled out.
     */
    public void standIn() {
        context.evidence().adaptation("« Stratégie de répartition »: the reader's application `" + guideName + "` is a "
                + "stand-in, a Deployment of that name (with the pair's suffix where the run's pairs share a namespace) of one "
                + "container of `" + application.image() + "` (the pair's "
                + "servers' image, for its psql) that sleeps; the URLs' placeholder password `pass` is the application "
                + "role's of this run.");
        application.rollOut();
    }

    /** The guide's block as written, then what it did; {@code misroute} changes the line first (a negative scenario). */
    public SetEnv run(UnaryOperator<String> misroute) {
        ApplicationLogin login = routing.login();
        GuideUrl write = routing.url(ApplicationRouting.WRITE);
        Map<String, String> placeholders = new LinkedHashMap<>();
        placeholders.put(write.user() + ":" + write.password() + "@", write.user() + ":" + login.password() + "@");
        ClusterCommands.CommandRun line = commands.run(ApplicationRouting.STEP, b -> b.text().contains("oc set env"),
                placeholders, List.of(), misroute).command("oc set env");
        if (!line.succeeded()) {
            return new SetEnv(line, Map.of(), Map.of());
        }
        ContainerResult rolled = oc(application.rolloutStatus(), ROLLOUT.plusSeconds(10));
        if (!rolled.succeeded()) {
            throw new AssertionError("`" + name + "` did not roll out its new revision after `oc set env`:\n" + rolled.tail(20));
        }
        Pod pod = newPod();
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar v : Optional.ofNullable(pod.getSpec().getContainers().get(0).getEnv()).orElse(List.of())) {
            env.put(v.getName(), Secrets.redact(String.valueOf(v.getValue())));
        }
        Map<String, String> reached = new LinkedHashMap<>();
        for (String variable : List.of(ApplicationRouting.WRITE, ApplicationRouting.READ)) {
            ContainerResult r = oc("oc exec " + pod.getMetadata().getName() + " -- sh -c 'psql \"$" + variable
                    + "\" -At -c \"SELECT pg_is_in_recovery()\" -c \"SHOW transaction_read_only\"'", LOOK);
            reached.put(variable, r.succeeded() ? String.join("/", r.output().strip().lines().toList())
                    : "exit " + r.exitCode() + ": " + r.tail(3).strip());
        }
        return new SetEnv(line, env, reached);
    }

    /** The application's name on the cluster: the line's, with the pair's suffix where the run's pairs share a namespace. */
    public String name() {
        return name;
    }

    /** The line's name of the reader's application. */
    public String guideName() {
        return guideName;
    }

    /** Each variable as the line sets it for this pair (its names, this run's password), redacted as the pod's env is read. */
    public Map<String, String> expectedEnv() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String variable : List.of(ApplicationRouting.WRITE, ApplicationRouting.READ)) {
            GuideUrl u = routing.url(variable);
            out.put(variable, Secrets.redact(pair.manifests().inPairNames(u.text().replace(u.user() + ":" + u.password() + "@",
                    u.user() + ":" + routing.login().password() + "@"))));
        }
        return out;
    }

    /**
     * The promise for what psql through {@code variable} reached in the application's pod: a read-only replica
     * ({@code t/on}) or the writable master ({@code f/off}); an error with what it printed.
     */
    public static void reached(SetEnv s, String variable, boolean readOnly) {
        String want = TypedTests.answer(readOnly);
        String got = s.reached().get(variable);
        if (!want.equals(got)) {
            throw new AssertionError("« Stratégie de répartition »: psql through " + variable + " in the application's pod "
                    + "printed " + got + " (in_recovery/transaction_read_only); expected " + want + ", "
                    + (readOnly ? "a read-only replica" : "the writable master") + "; its env: " + s.env());
        }
    }

    /** The application's one pod of its new revision, not being deleted, with the line's variables, Ready. */
    private Pod newPod() {
        Pod[] found = new Pod[1];
        String[] last = {""};
        context.waits().until("the application `" + name + "` has one pod, of its new revision, Ready", ROLLOUT,
                Duration.ofSeconds(1), () -> {
                    ContainerResult r = oc("oc get pods -l app=" + name + " -o json", LOOK);
                    List<Pod> pods = new KubernetesSerialization().unmarshal(r.output(), PodList.class).getItems();
                    last[0] = pods.stream().map(p -> p.getMetadata().getName() + (p.getMetadata().getDeletionTimestamp() != null
                            ? " (being deleted)" : "")).toList().toString();
                    List<Pod> live = pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
                    if (live.size() != 1 || live.get(0).getStatus().getContainerStatuses() == null
                            || !live.get(0).getStatus().getContainerStatuses().stream().allMatch(c -> Boolean.TRUE.equals(c.getReady()))) {
                        return false;
                    }
                    found[0] = live.get(0);
                    return true;
                }, () -> "its pods: " + last[0]);
        return found[0];
    }

    private ContainerResult oc(String script, Duration timeout) {
        return application.oc(script, timeout);
    }
}
