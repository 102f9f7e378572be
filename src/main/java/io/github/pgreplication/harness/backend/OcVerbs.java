package io.github.pgreplication.harness.backend;

import io.github.pgreplication.harness.backend.OcArgs.Flag;
import io.github.pgreplication.harness.backend.OcObjects.Found;
import io.github.pgreplication.harness.backend.OcObjects.Kind;
import io.github.pgreplication.harness.backend.OcObjects.Wanted;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code oc} verbs a backend whose pods are not a cluster's provides, with kubectl 1.20's semantics where they
 * decide an outcome (checked against the offline cluster by {@code OcContract}):
 * <ul>
 *   <li>{@code exec}: standard input passed only with {@code -i} (without it the command reads EOF at once); never
 *   a terminal: {@code -t} alone is ignored, {@code -it} prints kubectl's « Unable to use a TTY » line and goes on
 *   without one; the command's exit status, kubectl's « command terminated with exit code N » on standard error when
 *   it is not 0; {@code -c} the pod's container; the form without {@code --} deprecated, as kubectl says;</li>
 *   <li>{@code get pods} (with {@code -l}, {@code -o name}, {@code -o jsonpath=…} or the default table) and
 *   {@code get secret} ({@code .data} base64, as the cluster gives it);</li>
 *   <li>{@code get} of a Deployment, Service or claim by name, with {@code -o name} (several types at once too), and
 *   {@code --ignore-not-found};</li>
 *   <li>{@code logs} (of the pod's container, or with {@code -c} of an init container it ran after), {@code project},
 *   {@code wait --for=condition=ready pod};</li>
 *   <li>{@code get -o yaml} of pods and Secrets, {@code describe pod} ({@link OcPrinted#podDescription}: what these
 *   backends know of a pod), {@code top pod} ({@link OcTarget#usage}: as the kernel accounts the pod);</li>
 *   <li>{@code delete} of a pod, a Deployment (its pods: no controller keeps them), a Service, a claim no running pod
 *   mounts;</li>
 *   <li>an unknown object: kubectl's {@code Error from server (NotFound)} line, exit 1.</li>
 * </ul>
 * Anything else (a verb, a resource type, a flag) prints {@code oc: <what> is not provided by the <backend> backend}
 * and exits {@link ClusterShell#NOT_PROVIDED}: the line did not run on this backend.
 */
public final class OcVerbs {

    private static final Logger LOG = LoggerFactory.getLogger(OcVerbs.class);

    /** One request: where its outputs go, its standard input (asked for only when a verb takes it), its time left. */
    public interface Request {

        /** The project {@code oc} acts in: the backend's, or the one {@code oc project NAME} switched to. */
        String namespace();

        void switchNamespace(String namespace);

        Path stdout();

        Path stderr();

        /** Whether the caller's standard input is a terminal. */
        boolean stdinIsATerminal();

        /** Asks the caller for its standard input; returns the file that holds it once read to its end. */
        Path stdin() throws IOException;

        /** The time the caller's shell has left. */
        Duration left();
    }

    /** The verbs provided, as the backends' adaptation lists them. */
    public static final String PROVIDED = "exec, get of pods and Secrets, get -o name of a Deployment, Service or claim, "
            + "get -o yaml of pods and Secrets, describe pod, top pod (its CPU time over its age), logs, delete of a pod, "
            + "Deployment (its pods), Service or claim, project, wait";

    static final String UNABLE_TO_USE_A_TTY = "Unable to use a TTY - input is not a terminal or the right kind of file";
    static final String DEPRECATED_EXEC = "kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future "
            + "version. Use kubectl exec [POD] -- [COMMAND] instead.";

    private static final List<Flag> EXEC = List.of(Flag.bool("stdin", 'i'), Flag.bool("tty", 't'),
            Flag.value("container", 'c'), Flag.value("pod-running-timeout", (char) 0));
    private static final List<Flag> GET = List.of(Flag.value("selector", 'l'), Flag.value("output", 'o'),
            Flag.bool("ignore-not-found", (char) 0));
    private static final List<Flag> LOGS = List.of(Flag.value("container", 'c'), Flag.value("tail", (char) 0));
    private static final List<Flag> DELETE = List.of(Flag.bool("wait", (char) 0), Flag.bool("now", (char) 0));
    private static final List<Flag> PROJECT = List.of();
    private static final List<Flag> DESCRIBE = List.of();
    private static final List<Flag> TOP = List.of(Flag.value("selector", 'l'));
    private static final List<Flag> WAIT = List.of(Flag.value("for", (char) 0), Flag.value("selector", 'l'),
            Flag.value("timeout", (char) 0));

    private final OcTarget target;
    private final OcObjects objects;

    public OcVerbs(OcTarget target) {
        this.target = target;
        this.objects = new OcObjects(target);
    }

    /** Runs one {@code oc} command line; returns its exit status, its outputs in the request's files. */
    public int run(List<String> argv, Request request) {
        try {
            if (argv.isEmpty() || argv.get(0).startsWith("-")) {
                throw new OcArgs.Unprovided(argv.isEmpty() ? "oc without a verb" : "a flag before the verb (" + flagName(argv.get(0)) + ")");
            }
            String verb = argv.get(0);
            List<String> args = argv.subList(1, argv.size());
            return switch (verb) {
                case "exec" -> exec(OcArgs.parse(verb, args, EXEC), request);
                case "get" -> get(OcArgs.parse(verb, args, GET), request);
                case "logs" -> logs(OcArgs.parse(verb, args, LOGS), request);
                case "delete" -> delete(OcArgs.parse(verb, args, DELETE), request);
                case "project" -> project(OcArgs.parse(verb, args, PROJECT), request);
                case "describe" -> describe(OcArgs.parse(verb, args, DESCRIBE), request);
                case "top" -> top(OcArgs.parse(verb, args, TOP), request);
                case "wait" -> waitFor(OcArgs.parse(verb, args, WAIT), request);
                default -> throw new OcArgs.Unprovided(verb);
            };
        } catch (OcArgs.Unprovided u) {
            LOG.info("oc: {} is not provided by the {} backend", u.getMessage(), target.backendName()); // names, never values
            err(request, "oc: " + u.getMessage() + " is not provided by the " + target.backendName() + " backend\n");
            return ClusterShell.NOT_PROVIDED;
        } catch (OcArgs.Refused | OcJsonPath.Failure r) {
            err(request, r.getMessage().endsWith("\n") ? r.getMessage() : r.getMessage() + "\n");
            return 1;
        }
    }

    private static String flagName(String arg) {
        int eq = arg.indexOf('=');
        return eq < 0 ? arg : arg.substring(0, eq);
    }

    // ----- exec -------------------------------------------------------------------------------------------------

    private int exec(OcArgs a, Request request) {
        if (a.positional().isEmpty()) {
            throw new OcArgs.Refused("error: pod, type/name or --filename must be specified");
        }
        String podName = podName(a.positional().get(0), "exec");
        List<String> command;
        if (a.dashDash()) {
            if (a.positional().size() > 1) {
                throw new OcArgs.Unprovided("exec with arguments both before and after --");
            }
            command = a.afterDash();
        } else {
            command = a.positional().subList(1, a.positional().size());
            if (!command.isEmpty()) {
                err(request, DEPRECATED_EXEC + "\n");
            }
        }
        AbstractPod pod = objects.pod(podName, namespace(a, request));
        a.value("container").filter(c -> !c.equals(pod.plan().containerName())).ifPresent(c -> {
            throw new OcArgs.Refused("Error from server (BadRequest): container " + c + " is not valid for pod " + podName);
        });
        if (command.isEmpty()) {
            throw new OcArgs.Refused("error: you must specify at least one command for the container");
        }
        if (!pod.isRunning()) {
            throw new OcArgs.Refused("error: unable to upgrade connection: container not found (\""
                    + pod.plan().containerName() + "\")");
        }
        Optional<Path> stdin = Optional.empty();
        if (a.has("stdin")) {
            if (a.has("tty")) {
                if (request.stdinIsATerminal()) {
                    throw new OcArgs.Unprovided("exec -t with a terminal");
                }
                err(request, UNABLE_TO_USE_A_TTY + "\n");
            }
            try {
                stdin = Optional.of(request.stdin());
            } catch (IOException e) {
                throw new UncheckedIOException("reading oc's standard input", e);
            }
        }
        Optional<Integer> exit = target.exec(pod, command, stdin, request.stdout(), request.stderr(), request.left());
        if (exit.isEmpty()) {
            err(request, "error: the command had not ended when the shell's time was up; it was stopped\n");
            return 1;
        }
        if (exit.get() != 0) {
            err(request, "command terminated with exit code " + exit.get() + "\n");
        }
        return exit.get();
    }

    // ----- get --------------------------------------------------------------------------------------------------

    private int get(OcArgs a, Request request) {
        List<Wanted> wanted = OcObjects.wanted(a.arguments(), "get");
        Wanted first = wanted.get(0);
        boolean named = first.name().isPresent();
        if (named && a.value("selector").isPresent()) {
            throw new OcArgs.Refused("error: name cannot be provided when a selector is specified");
        }
        String output = a.value("output").orElse("");
        Optional<OcJsonPath> jsonPath = Optional.empty();
        if (output.startsWith("jsonpath=")) {
            jsonPath = Optional.of(OcJsonPath.parse(output.substring("jsonpath=".length())));
        } else if (!List.of("", "name", "yaml").contains(output)) {
            throw new OcArgs.Unprovided("get -o " + output.replaceFirst("=.*", "="));
        }
        if (wanted.stream().map(Wanted::kind).distinct().count() > 1 && !output.equals("name")) {
            throw new OcArgs.Unprovided("get of several resource types at once, without -o name");
        }
        if (!first.kind().printed && !(named && output.equals("name") && a.value("selector").isEmpty())) {
            throw new OcArgs.Unprovided("get " + first.type() + " other than by name with -o name");
        }
        OcSelector selector = OcSelector.parse(a.value("selector").orElse(""));
        String ns = namespace(a, request);
        boolean ignoreNotFound = a.has("ignore-not-found");
        List<Found> found = new ArrayList<>();
        int status = 0;
        if (!named) {
            found.addAll(objects.find(first.kind(), ns, selector, Optional.empty()));
        } else {
            for (Wanted w : wanted) {
                List<Found> one = objects.find(w.kind(), ns, selector, w.name());
                found.addAll(one);
                if (one.isEmpty() && !ignoreNotFound) {
                    err(request, OcObjects.notFound(w.kind(), w.name().get()));
                    status = 1;
                }
            }
        }
        if (output.equals("name")) {
            found.forEach(p -> out(request, p.kind().one + "/" + p.name() + "\n"));
            return status;
        }
        List<Map<String, Object>> whole = found.stream().map(Found::object).toList();
        if (jsonPath.isPresent() || output.equals("yaml")) {
            if (whole.isEmpty() && status != 0) {
                return status;
            }
            // one name asked for: that object; otherwise a List, as kubectl's printer coerces them
            Map<String, Object> root = wanted.size() == 1 && named ? whole.get(0) : OcPrinted.list(whole);
            out(request, jsonPath.isPresent() ? jsonPath.get().print(root) : OcPrinted.yaml(root));
        } else if (found.isEmpty()) {
            if (status == 0 && !ignoreNotFound) {
                err(request, "No resources found in " + ns + " namespace.\n");
            }
        } else {
            List<String[]> rows = new ArrayList<>(found.stream().map(Found::row).toList());
            rows.add(0, first.kind() == Kind.PODS ? new String[] {"NAME", "READY", "STATUS", "RESTARTS", "AGE"}
                    : new String[] {"NAME", "TYPE", "DATA", "AGE"});
            out(request, OcPrinted.table(rows));
        }
        return status;
    }

    // ----- logs, delete, project --------------------------------------------------------------------------------

    private int logs(OcArgs a, Request request) {
        List<String> args = a.arguments();
        if (args.size() != 1) {
            throw new OcArgs.Unprovided(args.isEmpty() ? "logs without a pod" : "logs TYPE NAME");
        }
        String podName = podName(args.get(0), "logs");
        AbstractPod pod = objects.pod(podName, namespace(a, request));
        String container = a.value("container").orElse(pod.plan().containerName());
        String log = container.equals(pod.plan().containerName()) ? target.containerLog(pod)
                : pod.initContainerLog(container).orElseThrow(() -> new OcArgs.Refused("error: container " + container
                        + " is not valid for pod " + podName));
        Optional<String> tail = a.value("tail");
        if (tail.isPresent() && !tail.get().equals("-1")) {
            if (!tail.get().matches("\\d+")) {
                throw new OcArgs.Refused("error: invalid argument \"" + tail.get() + "\" for \"--tail\" flag");
            }
            List<String> lines = log.lines().toList();
            int n = Integer.parseInt(tail.get());
            log = lines.subList(Math.max(0, lines.size() - n), lines.size()).stream().map(l -> l + "\n")
                    .reduce("", String::concat);
        }
        out(request, log);
        return 0;
    }

    /**
     * {@code oc delete} of pods, Deployments (their pods: there is no controller to keep them), Services and claims
     * no running pod mounts (kubectl would wait for the pod to go), each kubectl's « deleted » line or NotFound.
     */
    private int delete(OcArgs a, Request request) {
        List<Wanted> wanted = OcObjects.wanted(a.arguments(), "delete");
        if (wanted.get(0).name().isEmpty()) {
            throw new OcArgs.Unprovided("delete without a name");
        }
        int status = 0;
        String ns = namespace(a, request);
        for (Wanted w : wanted) {
            String name = w.name().get();
            boolean found = switch (w.kind()) {
                case PODS -> deletePods(objects.pods(ns).stream().filter(p -> p.name().equals(name)).toList());
                case DEPLOYMENTS -> deletePods(objects.pods(ns).stream().filter(p -> OcObjects.ofDeployment(p, name)).toList());
                case SERVICES -> deleteIfThere(ns, name, target::hasService, target::deleteService);
                case CLAIMS -> deleteIfThere(ns, name, target::hasClaim, this::deleteClaim);
                case SECRETS -> throw new OcArgs.Unprovided("delete " + w.type());
            };
            if (found) {
                out(request, w.kind().one + " \"" + name + "\" deleted\n");
            } else {
                err(request, OcObjects.notFound(w.kind(), name));
                status = 1;
            }
        }
        return status;
    }

    private boolean deletePods(List<AbstractPod> pods) {
        pods.forEach(target::deletePod);
        return !pods.isEmpty();
    }

    /** Deletes the object of {@code name} where {@code there} finds it in the target's project; whether it did. */
    private boolean deleteIfThere(String ns, String name, Predicate<String> there, Consumer<String> deletion) {
        if (!ns.equals(target.project()) || !there.test(name)) {
            return false;
        }
        deletion.accept(name);
        return true;
    }

    private void deleteClaim(String name) {
        target.pods().stream().filter(p -> p.isRunning() && p.mounts(name)).findFirst().ifPresent(p -> {
            throw new OcArgs.Unprovided("delete pvc of a claim the running pod " + p.name() + " mounts (kubectl waits "
                    + "until no pod uses it)");
        });
        target.deleteClaim(name);
    }

    /** {@code oc describe pod NAME…}: what {@link OcPrinted#podDescription} says of each, a blank line between. */
    private int describe(OcArgs a, Request request) {
        List<Wanted> wanted = OcObjects.wanted(a.arguments(), "describe");
        if (wanted.get(0).name().isEmpty() || wanted.stream().anyMatch(w -> w.kind() != Kind.PODS)) {
            throw new OcArgs.Unprovided("describe " + wanted.get(0).type()
                    + (wanted.get(0).name().isEmpty() ? " without a name" : ""));
        }
        String ns = namespace(a, request);
        List<String> described = new ArrayList<>();
        for (Wanted w : wanted) {
            described.add(OcPrinted.podDescription(objects.pod(w.name().get(), ns), ns));
        }
        out(request, String.join("\n\n", described));
        return 0;
    }

    /**
     * {@code oc top pod [NAME | -l SELECTOR]}: each pod's CPU in millicores and its working set in MiB, in kubectl's
     * table. The CPU is the time its processes used over the pod's age (metrics-server's is over its last scrape
     * interval, about 15 s); a pod not running has no figures (kubectl's « metrics not available yet »).
     */
    private int top(OcArgs a, Request request) {
        List<Wanted> wanted = OcObjects.wanted(a.arguments(), "top");
        if (wanted.size() > 1 || wanted.get(0).kind() != Kind.PODS) {
            throw new OcArgs.Unprovided("top " + String.join(" ", a.arguments()));
        }
        String ns = namespace(a, request);
        List<AbstractPod> pods;
        if (wanted.get(0).name().isPresent()) {
            if (a.value("selector").isPresent()) {
                throw new OcArgs.Refused("error: only one of NAME or --selector can be provided");
            }
            String name = wanted.get(0).name().get();
            // kubectl asks the metrics API, whose NotFound names its own resource
            pods = List.of(objects.pods(ns).stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() ->
                    new OcArgs.Refused("Error from server (NotFound): podmetrics.metrics.k8s.io \"" + name + "\" not found")));
        } else {
            OcSelector selector = OcSelector.parse(a.value("selector").orElse(""));
            pods = objects.pods(ns).stream().filter(p -> selector.matches(p.labels())).toList();
        }
        if (pods.isEmpty()) {
            err(request, "No resources found in " + ns + " namespace.\n");
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "CPU(cores)", "MEMORY(bytes)", ""});
        for (AbstractPod p : pods) {
            OcTarget.Usage usage = target.usage(p).orElseThrow(() -> new OcArgs.Refused("error: metrics not available yet"));
            long age = Math.max(1, Duration.between(p.created(), java.time.Instant.now()).toNanos());
            // kubectl pads every column, the last too (each value ends with a tab)
            rows.add(new String[] {p.name(), usage.cpu().toNanos() * 1000 / age + "m",
                    usage.workingSetBytes() / (1024 * 1024) + "Mi", ""});
        }
        out(request, OcPrinted.table(rows));
        return 0;
    }

    /**
     * {@code oc wait --for=condition=ready pod …}: a pod of these backends is ready once started, and none becomes
     * ready later by itself (there is no controller to restart one), so the answer is given at once: each running pod's
     * « condition met », or kubectl's time-out error for one that is not running.
     */
    private int waitFor(OcArgs a, Request request) {
        String condition = a.value("for").orElseThrow(() -> new OcArgs.Refused("error: --for must be specified"));
        if (!condition.equalsIgnoreCase("condition=ready")) {
            throw new OcArgs.Unprovided("wait --for=" + condition.replaceFirst("=.*", "=…"));
        }
        List<Wanted> wanted = OcObjects.wanted(a.arguments(), "wait");
        wanted.stream().filter(w -> w.kind() != Kind.PODS).findFirst().ifPresent(w -> {
            throw new OcArgs.Unprovided("wait " + w.type() + (w.name().isPresent() ? "/NAME" : ""));
        });
        List<String> names = wanted.stream().map(Wanted::name).flatMap(Optional::stream).toList();
        String ns = namespace(a, request);
        List<AbstractPod> pods;
        if (names.isEmpty()) {
            OcSelector selector = OcSelector.parse(a.value("selector").orElse(""));
            pods = objects.pods(ns).stream().filter(p -> selector.matches(p.labels())).toList();
            if (pods.isEmpty()) {
                throw new OcArgs.Refused("error: no matching resources found");
            }
        } else {
            pods = new ArrayList<>();
            for (String name : names) {
                pods.add(objects.pod(name, ns));
            }
        }
        for (AbstractPod p : pods) {
            if (!p.isRunning()) {
                throw new OcArgs.Refused("error: timed out waiting for the condition on pods/" + p.name());
            }
            out(request, "pod/" + p.name() + " condition met\n");
        }
        return 0;
    }

    private int project(OcArgs a, Request request) {
        List<String> args = a.arguments();
        if (args.size() > 1) {
            throw new OcArgs.Unprovided("project with several arguments");
        }
        String server = target.backendName() + " backend";
        if (args.isEmpty()) {
            out(request, "Using project \"" + request.namespace() + "\" on server \"" + server + "\".\n");
        } else {
            request.switchNamespace(args.get(0));
            out(request, "Now using project \"" + args.get(0) + "\" on server \"" + server + "\".\n");
        }
        return 0;
    }

    // ----- helpers ----------------------------------------------------------------------------------------------

    /** A pod's name as the verb takes it: {@code NAME}, {@code pod/NAME} or {@code pods/NAME}; another type is not provided. */
    static String podName(String arg, String verb) {
        int slash = arg.indexOf('/');
        if (slash < 0) {
            return arg;
        }
        String type = arg.substring(0, slash);
        if (!Kind.PODS.types.contains(type)) {
            throw new OcArgs.Unprovided(verb + " " + type + "/NAME");
        }
        return arg.substring(slash + 1);
    }

    /** The namespace a command acts in: its {@code -n}, else the shell's project. */
    private static String namespace(OcArgs a, Request request) {
        return a.value("namespace").orElse(request.namespace());
    }

    private static void out(Request request, String text) {
        append(request.stdout(), text);
    }

    private static void err(Request request, String text) {
        append(request.stderr(), text);
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("writing oc's output to " + file, e);
        }
    }
}
