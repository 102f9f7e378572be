package io.github.pgreplication.harness.backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What an {@code oc} command names and finds on a backend whose pods are not a cluster's: the resource types it takes
 * ({@link Kind}), the resources a command line names ({@link #wanted}), and the objects of a namespace
 * ({@link OcTarget}'s, in its project only), with kubectl's NotFound for one that is not there.
 */
final class OcObjects {

    private final OcTarget target;

    OcObjects(OcTarget target) {
        this.target = target;
    }

    /**
     * A resource type as {@code get} and {@code delete} take it: how kubectl names one ({@code -o name}, « deleted »)
     * and several (« NotFound »). Pods and Secrets are printed whole; the others are only named.
     */
    enum Kind {
        PODS("pod", "pods", true, "pods", "pod", "po"),
        SECRETS("secret", "secrets", true, "secrets", "secret"),
        DEPLOYMENTS("deployment.apps", "deployments.apps", false, "deployments", "deployment", "deploy", "deployments.apps",
                "deployment.apps"),
        SERVICES("service", "services", false, "services", "service", "svc"),
        CLAIMS("persistentvolumeclaim", "persistentvolumeclaims", false, "persistentvolumeclaims", "persistentvolumeclaim",
                "pvc");

        final String one;
        final String several;
        final boolean printed;
        /** The names a command line may give the type by. */
        final List<String> types;

        Kind(String one, String several, boolean printed, String... types) {
            this.one = one;
            this.several = several;
            this.printed = printed;
            this.types = List.of(types);
        }

        static Kind of(String type, String verb) {
            return Arrays.stream(values()).filter(k -> k.types.contains(type)).findFirst()
                    .orElseThrow(() -> new OcArgs.Unprovided(verb + " " + type));
        }
    }

    /** One resource a command names: its kind, its type as typed, its name (none: every one of the kind). */
    record Wanted(Kind kind, String type, Optional<String> name) {
    }

    /** The resources of {@code TYPE NAME…} or {@code TYPE/NAME…}, in their order. */
    static List<Wanted> wanted(List<String> args, String verb) {
        if (args.isEmpty()) {
            throw new OcArgs.Unprovided(verb + " without a resource type");
        }
        List<Wanted> wanted = new ArrayList<>();
        if (args.get(0).contains("/")) {
            for (String arg : args) {
                String[] tn = arg.split("/", 2);
                if (tn.length < 2) {
                    throw new OcArgs.Unprovided(verb + " of TYPE/NAME and TYPE in one command");
                }
                wanted.add(new Wanted(Kind.of(tn[0], verb), tn[0], Optional.of(tn[1])));
            }
            return wanted;
        }
        Kind kind = Kind.of(args.get(0), verb);
        if (args.size() == 1) {
            return List.of(new Wanted(kind, args.get(0), Optional.empty()));
        }
        for (String name : args.subList(1, args.size())) {
            if (name.contains("/")) {
                throw new OcArgs.Unprovided(verb + " of TYPE/NAME and TYPE in one command");
            }
            wanted.add(new Wanted(kind, args.get(0), Optional.of(name)));
        }
        return wanted;
    }

    /**
     * An object as {@code get} finds it: its kind and name ({@code -o name}), and for a printed kind its object
     * ({@code -o jsonpath}) and its table row.
     */
    record Found(Kind kind, String name, Map<String, Object> object, String[] row) {
    }

    /**
     * The objects of {@code ns} of this kind that the selector picks, the one named {@code name} or all of them (Secrets
     * have no labels; Services and claims are found only by name).
     */
    List<Found> find(Kind kind, String ns, OcSelector selector, Optional<String> name) {
        if (!ns.equals(target.project())) {
            return List.of();
        }
        Predicate<String> named = n -> name.isEmpty() || name.get().equals(n);
        return switch (kind) {
            case PODS -> pods(ns).stream().filter(p -> named.test(p.name()) && selector.matches(p.labels()))
                    .map(p -> new Found(kind, p.name(), OcPrinted.podObject(p, ns), OcPrinted.podRow(p))).toList();
            case SECRETS -> secrets(ns).stream().filter(x -> named.test(x.name()) && selector.matches(Map.of()))
                    .map(x -> new Found(kind, x.name(), OcPrinted.secretObject(x, ns), OcPrinted.secretRow(x))).toList();
            case DEPLOYMENTS -> deployments(ns).stream().filter(named).map(d -> new Found(kind, d, null, null)).toList();
            case SERVICES -> name.filter(target::hasService).map(n -> new Found(kind, n, null, null)).stream().toList();
            case CLAIMS -> name.filter(target::hasClaim).map(n -> new Found(kind, n, null, null)).stream().toList();
        };
    }

    /** The pods of {@code namespace}: the target's, in its project; none elsewhere. */
    List<AbstractPod> pods(String namespace) {
        return namespace.equals(target.project()) ? List.copyOf(target.pods()) : List.of();
    }

    List<OcSecrets.Secret> secrets(String namespace) {
        return namespace.equals(target.project()) ? target.secrets() : List.of();
    }

    /** The pod of this name, or kubectl's NotFound. */
    AbstractPod pod(String name, String namespace) {
        return pods(namespace).stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new OcArgs.Refused(notFound(Kind.PODS, name)));
    }

    /** Is the pod one of Deployment {@code name}'s? Its plan comes from that Deployment's template. */
    static boolean ofDeployment(AbstractPod pod, String name) {
        return deploymentOf(pod).filter(name::equals).isPresent();
    }

    /** The Deployments of {@code ns} that have a pod: without a controller a Deployment is known by its pods. */
    List<String> deployments(String namespace) {
        return pods(namespace).stream().map(OcObjects::deploymentOf).flatMap(Optional::stream).distinct().toList();
    }

    /** The Deployment whose template the pod's plan comes from, if a Deployment's. */
    private static Optional<String> deploymentOf(AbstractPod pod) {
        return pod.plan().ownerKind().equals("Deployment") ? Optional.of(pod.plan().podName()) : Optional.empty();
    }

    /** kubectl's line for an object that is not there. */
    static String notFound(Kind kind, String name) {
        return "Error from server (NotFound): " + kind.several + " \"" + name + "\" not found\n";
    }
}
