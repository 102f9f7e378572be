package io.github.pgreplication.harness.backend;

import io.github.pgreplication.harness.backend.OcArgs.Flag;
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
 *   <li>{@code logs} (of the pod's container, or with {@code -c} of an init container it ran after), {@code delete pod}, {@code project}, {@code wait --for=condition=ready pod};</li>
 *   <li>an unknown pod or Secret: kubectl's {@code Error from server (NotFound)} line, exit 1.</li>
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

    static final String UNABLE_TO_USE_A_TTY = "Unable to use a TTY - input is not a terminal or the right kind of file";
    static final String DEPRECATED_EXEC = "kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future "
            + "version. Use kubectl exec [POD] -- [COMMAND] instead.";

    private static final List<Flag> EXEC = List.of(Flag.bool("stdin", 'i'), Flag.bool("tty", 't'),
            Flag.value("container", 'c'), Flag.value("pod-running-timeout", (char) 0));
    private static final List<Flag> GET = List.of(Flag.value("selector", 'l'), Flag.value("output", 'o'));
    private static final List<Flag> LOGS = List.of(Flag.value("container", 'c'), Flag.value("tail", (char) 0));
    private static final List<Flag> DELETE = List.of(Flag.bool("wait", (char) 0), Flag.bool("now", (char) 0));
    private static final List<Flag> PROJECT = List.of();
    private static final List<Flag> WAIT = List.of(Flag.value("for", (char) 0), Flag.value("selector", 'l'),
            Flag.value("timeout", (char) 0));

    private final OcTarget target;

    public OcVerbs(OcTarget target) {
        this.target = target;
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
        AbstractPod pod = pod(podName, namespace(a, request));
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
        List<String> args = a.arguments();
        if (args.isEmpty()) {
            throw new OcArgs.Unprovided("get without a resource type");
        }
        String type;
        List<String> names = new ArrayList<>();
        if (args.get(0).contains("/")) {
            type = null;
            for (String arg : args) {
                String[] tn = arg.split("/", 2);
                String t = kind(tn[0]);
                if (type != null && !type.equals(t)) {
                    throw new OcArgs.Unprovided("get of several resource types at once");
                }
                type = t;
                names.add(tn[1]);
            }
        } else {
            type = kind(args.get(0));
            names.addAll(args.subList(1, args.size()));
        }
        if (!names.isEmpty() && a.value("selector").isPresent()) {
            throw new OcArgs.Refused("error: name cannot be provided when a selector is specified");
        }
        String output = a.value("output").orElse("");
        Optional<OcJsonPath> jsonPath = Optional.empty();
        if (output.startsWith("jsonpath=")) {
            jsonPath = Optional.of(OcJsonPath.parse(output.substring("jsonpath=".length())));
        } else if (!output.isEmpty() && !output.equals("name")) {
            throw new OcArgs.Unprovided("get -o " + output.replaceFirst("=.*", "="));
        }
        OcSelector selector = OcSelector.parse(a.value("selector").orElse(""));
        String ns = namespace(a, request);
        boolean pods = type.equals("pods");
        List<Printed> found = new ArrayList<>();
        int status = 0;
        if (names.isEmpty()) {
            found.addAll(printed(pods, ns, selector, n -> true));
        } else {
            for (String name : names) {
                List<Printed> one = printed(pods, ns, selector, name::equals);
                found.addAll(one);
                if (one.isEmpty()) {
                    err(request, notFound(type, name));
                    status = 1;
                }
            }
        }
        List<Map<String, Object>> objects = found.stream().map(Printed::object).toList();
        List<String[]> rows = new ArrayList<>(found.stream().map(Printed::row).toList());
        String kind = pods ? "pod" : "secret";
        if (output.equals("name")) {
            objects.forEach(o -> out(request, kind + "/" + ((Map<?, ?>) o.get("metadata")).get("name") + "\n"));
        } else if (jsonPath.isPresent()) {
            if (objects.isEmpty() && status != 0) {
                return status;
            }
            // one name asked for: that object; otherwise a List, as kubectl's printer coerces them
            Object root = names.size() == 1 ? objects.get(0) : OcPrinted.list(objects);
            out(request, jsonPath.get().print(root));
        } else if (rows.isEmpty()) {
            if (status == 0) {
                err(request, "No resources found in " + ns + " namespace.\n");
            }
        } else {
            rows.add(0, pods ? new String[] {"NAME", "READY", "STATUS", "RESTARTS", "AGE"}
                    : new String[] {"NAME", "TYPE", "DATA", "AGE"});
            out(request, OcPrinted.table(rows));
        }
        return status;
    }

    /** An object as {@code get} prints it: its object for {@code -o jsonpath} and {@code -o name}, its table row. */
    private record Printed(Map<String, Object> object, String[] row) {
    }

    /** The pods, or the Secrets (which have no labels), of {@code ns} that the selector and the name test pick. */
    private List<Printed> printed(boolean pods, String ns, OcSelector selector, Predicate<String> name) {
        if (pods) {
            return podsIn(ns).stream().filter(p -> name.test(p.name()) && selector.matches(p.labels()))
                    .map(p -> new Printed(OcPrinted.podObject(p, ns), OcPrinted.podRow(p))).toList();
        }
        return secretsIn(ns).stream().filter(x -> name.test(x.name()) && selector.matches(Map.of()))
                .map(x -> new Printed(OcPrinted.secretObject(x, ns), OcPrinted.secretRow(x))).toList();
    }

    private static String kind(String type) {
        return switch (type) {
            case "pods", "pod", "po" -> "pods";
            case "secrets", "secret" -> "secrets";
            default -> throw new OcArgs.Unprovided("get " + type);
        };
    }

    // ----- logs, delete, project --------------------------------------------------------------------------------

    private int logs(OcArgs a, Request request) {
        List<String> args = a.arguments();
        if (args.size() != 1) {
            throw new OcArgs.Unprovided(args.isEmpty() ? "logs without a pod" : "logs TYPE NAME");
        }
        String podName = podName(args.get(0), "logs");
        AbstractPod pod = pod(podName, namespace(a, request));
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

    private int delete(OcArgs a, Request request) {
        List<String> args = a.arguments();
        List<String> names = new ArrayList<>();
        if (!args.isEmpty() && args.get(0).contains("/")) {
            for (String arg : args) {
                names.add(podName(arg, "delete"));
            }
        } else if (!args.isEmpty()) {
            if (!List.of("pod", "pods", "po").contains(args.get(0))) {
                throw new OcArgs.Unprovided("delete " + args.get(0));
            }
            names.addAll(args.subList(1, args.size()));
        }
        if (names.isEmpty()) {
            throw new OcArgs.Unprovided("delete without a pod's name");
        }
        int status = 0;
        String ns = namespace(a, request);
        for (String name : names) {
            Optional<AbstractPod> pod = podsIn(ns).stream().filter(p -> p.name().equals(name)).findFirst();
            if (pod.isEmpty()) {
                err(request, notFound("pods", name));
                status = 1;
                continue;
            }
            target.deletePod(pod.get());
            out(request, "pod \"" + name + "\" deleted\n");
        }
        return status;
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
        List<String> args = a.arguments();
        List<String> names = new ArrayList<>();
        if (!args.isEmpty() && args.get(0).contains("/")) {
            for (String arg : args) {
                names.add(podName(arg, "wait"));
            }
        } else if (!args.isEmpty()) {
            if (!List.of("pod", "pods", "po").contains(args.get(0))) {
                throw new OcArgs.Unprovided("wait " + args.get(0));
            }
            names.addAll(args.subList(1, args.size()));
        } else {
            throw new OcArgs.Unprovided("wait without a resource type");
        }
        String ns = namespace(a, request);
        List<AbstractPod> pods;
        if (names.isEmpty()) {
            OcSelector selector = OcSelector.parse(a.value("selector").orElse(""));
            pods = podsIn(ns).stream().filter(p -> selector.matches(p.labels())).toList();
            if (pods.isEmpty()) {
                throw new OcArgs.Refused("error: no matching resources found");
            }
        } else {
            pods = new ArrayList<>();
            for (String name : names) {
                pods.add(pod(name, ns));
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
        if (!List.of("pod", "pods", "po").contains(type)) {
            throw new OcArgs.Unprovided(verb + " " + type + "/NAME");
        }
        return arg.substring(slash + 1);
    }

    /** The namespace a command acts in: its {@code -n}, else the shell's project. */
    private static String namespace(OcArgs a, Request request) {
        return a.value("namespace").orElse(request.namespace());
    }

    private List<AbstractPod> podsIn(String namespace) {
        return namespace.equals(target.project()) ? List.copyOf(target.pods()) : List.of();
    }

    private List<OcSecrets.Secret> secretsIn(String namespace) {
        return namespace.equals(target.project()) ? target.secrets() : List.of();
    }

    private AbstractPod pod(String name, String namespace) {
        return podsIn(namespace).stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new OcArgs.Refused(notFound("pods", name)));
    }

    private static String notFound(String resource, String name) {
        return "Error from server (NotFound): " + resource + " \"" + name + "\" not found\n";
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
