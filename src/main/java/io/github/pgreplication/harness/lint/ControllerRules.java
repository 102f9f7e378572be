package io.github.pgreplication.harness.lint;

import static io.github.pgreplication.harness.lint.LintContext.volumeMounts;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.pgreplication.harness.guide.DeploymentConfigSpec;
import io.github.pgreplication.harness.guide.LoadedResource;
import io.github.pgreplication.harness.lint.LintContext.At;
import io.github.pgreplication.harness.lint.LintContext.Workload;
import io.github.pgreplication.harness.lint.PodServers.Server;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The parts of Kubernetes the local and containers backends do not play, checked rather than ignored: what a
 * controller's spec asks of its claims (replicas, update strategy), its selector against its pod template, and the
 * probes against the server they probe. The preflight runs them with {@link PodRules}.
 */
final class ControllerRules {

    static final List<LintRule> RULES = List.of(new ClaimReplicas(), new ClaimRolloutStrategy(), new ControllerSelector(),
            new ProbeTarget());

    private ControllerRules() {
    }

    /** A Deployment's or DeploymentConfig's spec as its controller reads it, Kubernetes' defaults filled in. */
    record Controller(Workload workload, int replicas, String strategy, boolean strategyGiven,
                      Optional<Map<String, String>> selector, String defaultStrategy) {

        LoadedResource resource() {
            return workload.resource();
        }

        static Optional<Controller> of(Workload w) {
            if (w.resource().resource() instanceof Deployment d && d.getSpec() != null) {
                Optional<String> type = Optional.ofNullable(d.getSpec().getStrategy()).map(s -> s.getType());
                Optional<Map<String, String>> selector = Optional.ofNullable(d.getSpec().getSelector())
                        .map(s -> s.getMatchLabels() == null ? Map.<String, String>of() : s.getMatchLabels());
                return Optional.of(new Controller(w, Optional.ofNullable(d.getSpec().getReplicas()).orElse(1),
                        type.orElse("RollingUpdate"), type.isPresent(), selector, "RollingUpdate"));
            }
            if (w.resource().resource() instanceof GenericKubernetesResource g) {
                return DeploymentConfigSpec.of(g).map(spec -> new Controller(w, spec.replicas(),
                        spec.strategyType().orElse(DeploymentConfigSpec.DEFAULT_STRATEGY), spec.strategyType().isPresent(),
                        spec.selector(), DeploymentConfigSpec.DEFAULT_STRATEGY));
            }
            return Optional.empty();
        }

        /** The claims the pod template mounts read-write, with their access modes. */
        Map<String, List<String>> claimsWritten(LintContext ctx) {
            Map<String, List<String>> out = new TreeMap<>();
            Map<String, Volume> volumes = workload.volumesByName();
            for (Container c : workload.allContainers()) {
                for (VolumeMount m : volumeMounts(c)) {
                    Volume v = volumes.get(m.getName());
                    if (v != null && v.getPersistentVolumeClaim() != null && !Boolean.TRUE.equals(m.getReadOnly())
                            && !Boolean.TRUE.equals(v.getPersistentVolumeClaim().getReadOnly())) {
                        String claim = v.getPersistentVolumeClaim().getClaimName();
                        out.put(claim, PathValues.accessModes(ctx, claim).orElse(List.of()));
                    }
                }
            }
            return out;
        }
    }

    private static List<Controller> controllers(LintContext ctx) {
        return ctx.workloads().stream().filter(Workload::longRunning).map(Controller::of).flatMap(Optional::stream).toList();
    }

    private static String claims(Map<String, List<String>> claims) {
        List<String> out = new ArrayList<>();
        claims.forEach((claim, modes) -> out.add(claim + (modes.isEmpty() ? "" : " (" + String.join(", ", modes) + ")")));
        return String.join(", ", out);
    }

    static final class ClaimReplicas extends LintRule {

        ClaimReplicas() {
            super("PGR032", "claim-replicas", Severity.ERROR,
                    "Every pod of a Deployment or DeploymentConfig mounts the same claims: with more than one replica, a "
                            + "second pod waits Pending for a ReadWriteOnce claim on another node, or starts a second server "
                            + "on the data directory the first runs on. A backend without a controller starts one pod.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            List<At> out = new ArrayList<>();
            for (Controller c : controllers(ctx)) {
                Map<String, List<String>> claims = c.claimsWritten(ctx);
                if (c.replicas() > 1 && !claims.isEmpty()) {
                    out.add(At.on(c.resource(), "spec.replicas", ctx.step(c.resource()) + ": replicas: " + c.replicas()
                            + " with the claim " + claims(claims) + " mounted read-write: one server's data directory "
                            + "cannot serve " + c.replicas() + " pods; a second replica is another Deployment, with its "
                            + "own claim"));
                }
            }
            return out;
        }
    }

    static final class ClaimRolloutStrategy extends LintRule {

        ClaimRolloutStrategy() {
            super("PGR033", "claim-rollout-strategy", Severity.ERROR,
                    "A Deployment's default strategy (RollingUpdate) and a DeploymentConfig's (Rolling) start the new pod "
                            + "of a revision before the old one stops: two servers on one claim. A pod that writes a claim "
                            + "needs strategy Recreate. A backend without a controller never rolls out.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            List<At> out = new ArrayList<>();
            for (Controller c : controllers(ctx)) {
                Map<String, List<String>> claims = c.claimsWritten(ctx);
                if (!claims.isEmpty() && !c.strategy().equals("Recreate")) {
                    out.add(At.on(c.resource(), "spec.strategy.type", ctx.step(c.resource()) + ": strategy " + c.strategy()
                            + (c.strategyGiven() ? "" : " (the default, none is given)") + " with the claim "
                            + claims(claims) + ": a new revision starts its pod before the old one stops, and both run a "
                            + "server on the claim; use strategy: type: Recreate"));
                }
            }
            return out;
        }
    }

    static final class ControllerSelector extends LintRule {

        ControllerSelector() {
            super("PGR034", "controller-selector", Severity.ERROR,
                    "A Deployment's spec.selector (required by apps/v1) and a DeploymentConfig's must match its pod "
                            + "template's labels, or the API server refuses it. A backend without an API server starts the "
                            + "template's pod anyway.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            List<At> out = new ArrayList<>();
            for (Controller c : controllers(ctx)) {
                String step = ctx.step(c.resource());
                Map<String, String> labels = c.workload().template().getMetadata() == null
                        || c.workload().template().getMetadata().getLabels() == null ? Map.of()
                        : c.workload().template().getMetadata().getLabels();
                if (c.selector().isEmpty()) {
                    if (c.resource().kind().equals("Deployment")) {
                        out.add(At.on(c.resource(), "spec.selector", step + ": no selector: apps/v1 requires one, and the "
                                + "API server refuses the Deployment"));
                    }
                    continue;
                }
                Map<String, String> selector = c.selector().get();
                boolean noExpressions = !(c.resource().resource() instanceof Deployment d)
                        || d.getSpec().getSelector().getMatchExpressions() == null
                        || d.getSpec().getSelector().getMatchExpressions().isEmpty();
                if (selector.isEmpty() && noExpressions && c.resource().kind().equals("Deployment")) {
                    out.add(At.on(c.resource(), "spec.selector", step + ": an empty selector: the API server refuses the "
                            + "Deployment"));
                } else if (!labels.entrySet().containsAll(selector.entrySet())) {
                    out.add(At.on(c.resource(), c.resource().kind().equals("Deployment") ? "spec.selector.matchLabels"
                            : "spec.selector", step + ": selects " + new TreeMap<>(selector) + ", which its pod template's "
                            + "labels " + new TreeMap<>(labels) + " do not match: the API server refuses it (« selector "
                            + "does not match template labels »)"));
                }
            }
            return out;
        }
    }

    static final class ProbeTarget extends LintRule {

        ProbeTarget() {
            super("PGR035", "probe-target", Severity.ERROR,
                    "A probe of a server's container must reach that server: a tcpSocket port (a number or a containerPort's "
                            + "name) where it listens, an exec pg_isready or psql at its port (-p, PGPORT, else 5432) and at "
                            + "a socket directory it has (-h, PGHOST, else the image's, /var/run/postgresql), never httpGet. "
                            + "Else the pod is never Ready, or is restarted for ever. The local backend runs the readiness "
                            + "probe at its own port and socket, so it is judged before.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            List<At> out = new ArrayList<>();
            for (Server s : PodServers.servers(ctx)) {
                Map<String, Probe> probes = new LinkedHashMap<>();
                Container c = s.container();
                Optional.ofNullable(c.getReadinessProbe()).ifPresent(p -> probes.put("readinessProbe", p));
                Optional.ofNullable(c.getLivenessProbe()).ifPresent(p -> probes.put("livenessProbe", p));
                Optional.ofNullable(c.getStartupProbe()).ifPresent(p -> probes.put("startupProbe", p));
                probes.forEach((name, p) -> problem(ctx, s, p).ifPresent(problem -> out.add(s.workload().at(
                        s.field("." + name), ctx.step(s.workload().resource()) + ": " + problem))));
            }
            return out;
        }

        /** What keeps the probe from reaching the server, if anything. */
        private static Optional<String> problem(LintContext ctx, Server s, Probe p) {
            Optional<Integer> port = s.portNumber(ctx);
            if (p.getHttpGet() != null) {
                return Optional.of("httpGet: PostgreSQL answers no HTTP, so the probe always fails");
            }
            if (p.getTcpSocket() != null) {
                Optional<Integer> target = containerPort(s.container(), p.getTcpSocket().getPort());
                if (target.isEmpty()) {
                    return Optional.of("tcpSocket port '" + p.getTcpSocket().getPort().getStrVal() + "' names no port of "
                            + "container " + s.container().getName());
                }
                return target.equals(port) ? Optional.empty() : Optional.of("tcpSocket port " + target.get()
                        + ", and the server listens on " + port.map(String::valueOf).orElse("?") + ": the probe always fails");
            }
            if (p.getExec() == null || p.getExec().getCommand() == null) {
                return Optional.empty();
            }
            List<String> tokens = tokens(String.join(" ", p.getExec().getCommand()));
            for (int i = 0; i < tokens.size(); i++) {
                String t = tokens.get(i);
                String tool = t.substring(t.lastIndexOf('/') + 1);
                if (tool.equals("pg_isready") || tool.equals("psql")) {
                    Optional<String> problem = clientProblem(ctx, s, tokens.subList(i, end(tokens, i)), port);
                    if (problem.isPresent()) {
                        return problem;
                    }
                }
            }
            return Optional.empty();
        }

        /** The problem of one pg_isready or psql call of a probe: its port, then its host or socket directory. */
        private static Optional<String> clientProblem(LintContext ctx, Server s, List<String> call, Optional<Integer> port) {
            String shown = "`" + String.join(" ", call) + "`";
            Optional<String> givenPort = option(call, "-p", "--port");
            Optional<String> envPort = PodValues.envValue(s.container(), "PGPORT");
            int asked = givenPort.or(() -> envPort).flatMap(PodValues::number).orElse(5432);
            if (port.isPresent() && asked != port.get()) {
                return Optional.of(shown + " asks port " + asked + (givenPort.isPresent() ? "" : envPort.isPresent()
                        ? " (PGPORT)" : " (libpq's default)") + ", and the server listens on " + port.get()
                        + ": the probe always fails");
            }
            Optional<String> host = option(call, "-h", "--host").or(() -> PodValues.envValue(s.container(), "PGHOST"));
            List<String> listen = List.of(PodValues.unquote(s.listenAddresses(ctx).value()).split(",")).stream()
                    .map(String::trim).toList();
            if (host.isEmpty() || host.get().startsWith("/")) {
                String dir = host.orElse(s.image().socketDirectory());
                List<String> dirs = s.socketDirectoryList(ctx).stream().map(ProbeTarget::canonical).toList();
                return dirs.contains(canonical(dir)) ? Optional.empty() : Optional.of(shown + " looks for the server's "
                        + "socket in " + dir + (host.isEmpty() ? " (the image's clients' default)" : "")
                        + ", and unix_socket_directories = '" + PodValues.unquote(s.socketDirectories(ctx).value())
                        + "': the probe always fails");
            }
            if (Set.of("localhost", "127.0.0.1", "::1").contains(host.get())
                    && listen.stream().noneMatch(a -> Set.of("*", "0.0.0.0", "::", "localhost", host.get()).contains(a))) {
                return Optional.of(shown + " connects to " + host.get() + ", and listen_addresses = '"
                        + String.join(",", listen) + "' leaves it out: the probe always fails");
            }
            return Optional.empty();
        }

        private static String canonical(String dir) {
            String d = dir.endsWith("/") && dir.length() > 1 ? dir.substring(0, dir.length() - 1) : dir;
            return d.replaceFirst("^/run/", "/var/run/");
        }

        private static Optional<Integer> containerPort(Container c, IntOrString port) {
            if (port == null) {
                return Optional.empty();
            }
            if (port.getIntVal() != null) {
                return Optional.of(port.getIntVal());
            }
            return Optional.ofNullable(c.getPorts()).orElse(List.of()).stream().filter(p -> port.getStrVal().equals(p.getName()))
                    .map(ContainerPort::getContainerPort).findFirst().or(() -> PodValues.number(port.getStrVal()));
        }

        /** The words of a probe's command, quotes dropped, shell separators as words of their own. */
        private static List<String> tokens(String command) {
            List<String> out = new ArrayList<>();
            for (String t : command.replace(";", " ; ").replace("&&", " && ").replace("||", " || ").replace("|", " | ")
                    .replace("'", " ").replace("\"", " ").trim().split("\\s+")) {
                if (!t.isEmpty()) {
                    out.add(t);
                }
            }
            return out;
        }

        private static int end(List<String> tokens, int from) {
            for (int i = from + 1; i < tokens.size(); i++) {
                if (Set.of(";", "&&", "||", "|").contains(tokens.get(i))) {
                    return i;
                }
            }
            return tokens.size();
        }

        /** A client's option: {@code -p 5432}, {@code -p5432} or {@code --port=5432}. */
        private static Optional<String> option(List<String> call, String shortName, String longName) {
            for (int i = 1; i < call.size(); i++) {
                String t = call.get(i);
                if (t.equals(shortName) && i + 1 < call.size()) {
                    return Optional.of(call.get(i + 1));
                }
                if (t.startsWith(longName + "=")) {
                    return Optional.of(t.substring(longName.length() + 1));
                }
                if (t.startsWith(shortName) && t.length() > shortName.length() && !t.startsWith("--")) {
                    return Optional.of(t.substring(shortName.length()));
                }
            }
            return Optional.empty();
        }
    }
}
