package io.github.pgreplication.harness.procedure;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.github.pgreplication.harness.guide.GuideNames;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * « Problème : Le slave ne démarre pas » as its reader types it: its « Diagnostic » ({@code oc logs $SLAVE_POD -c
 * setup-slave}, {@code oc logs $SLAVE_POD -c postgresql}, {@code oc describe pod $SLAVE_POD}) and its « Permissions
 * secret » check ({@code oc get secret postgresql-replication -o yaml}), with {@code SLAVE_POD} set by Étape 2.5's own
 * line. They name the init container, so on a cluster they run on the pod the Deployment's controller made (the
 * harness's own replica runs its init container there as a pod of its own); off a cluster, on the harness's replica
 * pod, which records the init container it ran after ({@code oc logs -c}, {@code oc describe pod}).
 */
public final class SlaveStartDiagnostic {

    private static final String STEP = "troubleshooting-slave-start";
    private static final Pattern DATA_KEY = Pattern.compile("^  ([-._A-Za-z0-9]+): .*$");
    private static final Pattern INIT_COMPLETED = Pattern.compile("(?s)Init Containers:.*?Reason:\\s+Completed\\s+Exit Code:\\s+0");

    /** What each of the diagnostic's commands, and the Secret's check, did and printed. */
    public record Diagnosed(ClusterCommands.CommandRun initLog, ClusterCommands.CommandRun serverLog,
                            ClusterCommands.CommandRun description, ClusterCommands.CommandRun secret) {

        /** Whether {@code oc describe pod} shows the init container Terminated, Completed with exit 0. */
        public boolean describesInitCompleted() {
            return description.succeeded() && INIT_COMPLETED.matcher(description.output()).find();
        }

        /** Whether {@code oc describe pod} shows the pod Running and Ready. */
        public boolean describesRunningAndReady() {
            return description.succeeded() && Pattern.compile("(?m)^Status:\\s+Running$").matcher(description.output()).find()
                    && Pattern.compile("(?m)^\\s+Ready\\s+True\\s*$").matcher(description.output()).find();
        }

        /**
         * The keys of the Secret's {@code data}, as {@code oc get secret -o yaml} printed them. Its values reach here
         * redacted ({@code ****}, not YAML), so the keys are read as the lines of that mapping: {@code data:}, then its
         * {@code   key: value} lines.
         */
        public Set<String> secretKeys() {
            if (!secret.succeeded()) {
                throw new AssertionError("the « Permissions secret » check failed: " + secret);
            }
            Set<String> keys = new TreeSet<>();
            boolean inData = false;
            for (String line : secret.output().lines().toList()) {
                if (!line.startsWith(" ")) {
                    inData = line.equals("data:");
                } else if (inData) {
                    Matcher m = DATA_KEY.matcher(line);
                    if (m.matches()) {
                        keys.add(m.group(1));
                    }
                }
            }
            return keys;
        }
    }

    private final GuidePair pair;
    private final RunContext context;
    private final ClusterCommands commands;

    public SlaveStartDiagnostic(GuidePair pair, RunContext context) {
        this.pair = pair;
        this.context = context;
        this.commands = new ClusterCommands(pair, context);
    }

    /** The diagnostic's block and the Secret's check, as written, in one shell, after Étape 2.5's {@code SLAVE_POD=…}. */
    public Diagnosed run() {
        context.evidence().adaptation("« Le slave ne démarre pas », its diagnostic and « Permissions secret »: `SLAVE_POD` set "
                + "by Étape 2.5's own line first.");
        ClusterCommands.SectionRun run = commands.run(STEP, b -> b.text().contains("oc describe pod $SLAVE_POD")
                || b.text().contains("oc get secret"), Map.of(), List.of(commands.slavePodLine()), UnaryOperator.identity());
        return new Diagnosed(run.command("oc logs $SLAVE_POD -c setup-slave"), run.command("oc logs $SLAVE_POD -c postgresql"),
                run.command("oc describe pod"), run.command("oc get secret"));
    }

    /** Erratum E17's check on what the diagnostic's {@code oc logs $SLAVE_POD -c postgresql} printed. */
    public String serverMessagesInOcLogs(Diagnosed d) {
        String out = d.serverLog().output();
        return ServerLogs.serverMessagesInOcLogs(context, out.contains(ServerLogs.STREAMING), out.contains(ServerLogs.REDIRECTED));
    }

    /** The keys the replica's containers (its init container's included) take from the replication Secret. */
    public Set<String> keysTheReplicaReads() {
        String secret = pair.names().get(GuideNames.Role.REPLICATION_SECRET);
        var spec = pair.model().replicaTemplate().getSpec();
        Set<String> keys = new TreeSet<>();
        Stream.concat(Optional.ofNullable(spec.getInitContainers()).orElse(List.of()).stream(), spec.getContainers().stream())
                .map(Container::getEnv).filter(e -> e != null).flatMap(List::stream)
                .map(EnvVar::getValueFrom).filter(v -> v != null && v.getSecretKeyRef() != null
                        && secret.equals(v.getSecretKeyRef().getName()))
                .forEach(v -> keys.add(v.getSecretKeyRef().getKey()));
        return keys;
    }
}
