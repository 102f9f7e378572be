package io.github.pgreplication.harness.lint;

import static io.github.pgreplication.harness.lint.PodServers.servers;
import static io.github.pgreplication.harness.lint.PathValues.paths;
import static io.github.pgreplication.harness.lint.NetworkValues.listenAddresses;
import static io.github.pgreplication.harness.lint.NetworkValues.port;
import static io.github.pgreplication.harness.lint.NetworkValues.socketDirectories;
import static io.github.pgreplication.harness.lint.NetworkValues.hbaAddresses;
import static io.github.pgreplication.harness.lint.ServiceValues.servicePorts;
import static io.github.pgreplication.harness.lint.ServiceValues.serviceNames;
import io.github.pgreplication.harness.lint.PodServers.Server;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.lint.LintContext.At;
import io.github.pgreplication.harness.lint.LintContext.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The values a backend adapts for its host, judged first for the place the manifests are written for: a pod on a
 * cluster. The local backend replaces listen_addresses, port and unix_socket_directories, pg_hba.conf's pod network,
 * the container paths and the Services' names and ports; each adaptation would hide the team's value, so each value
 * is judged here, before any backend starts: a value that works in no pod is a finding of the rule of its
 * {@link Kind} ({@link PodRules}), with the guide's step, the file, the resource and the key; a value judged fine says
 * why, for the report's « Adaptations ».
 */
public final class PodValues {

    /** What a backend adapts, one lint rule each. */
    public enum Kind {
        LISTEN_ADDRESSES, PORT, SOCKET_DIRECTORIES, HBA_ADDRESS, PATH, SERVICE_PORT, SERVICE_NAME
    }

    /**
     * One value judged for a pod on a cluster: where it is (the guide's step, the file and its line, the resource
     * {@code Kind/name}, the key), the team's value as written, and whether it works there, with why.
     */
    public record Judged(Kind kind, String step, String file, int line, String resource, String key, String value,
                         boolean fine, String why) {

        At at() {
            return new At(file, line, resource, key, step + ": " + value + ": " + why);
        }

        /** How the report's « Adaptations » states a value judged before a backend adapted it. */
        public String adaptation() {
            return "Judged before adapting (" + step + ", " + file + ", " + resource + ", " + key + "): the team's " + value
                    + (fine ? " works in a pod on a cluster: " : " works in no pod: ") + why + ".";
        }
    }

    static final Pattern INCLUDE = Pattern.compile("^\\s*(include|include_if_exists|include_dir)\\s*=?\\s*'([^']*)'",
            Pattern.MULTILINE);
    static final Pattern ARCHIVE_TARGET = Pattern.compile("(/[^\\s'\";|&]*%f[^\\s'\";|&]*)");

    private PodValues() {
    }

    /** Every value of the manifests a backend adapts, judged; {@code podCidr} is {@code harness.kube.pod-cidr}. */
    public static List<Judged> judge(GuideModel model, Optional<String> podCidr) {
        return judge(new LintContext(model.manifests(), Optional.empty(), 0, Optional.empty(), podCidr));
    }

    static List<Judged> judge(LintContext ctx) {
        List<Judged> out = new ArrayList<>();
        for (Kind k : Kind.values()) {
            out.addAll(judge(ctx, k));
        }
        return out;
    }

    static List<Judged> judge(LintContext ctx, Kind kind) {
        List<Server> servers = servers(ctx);
        List<Judged> out = new ArrayList<>();
        switch (kind) {
            case LISTEN_ADDRESSES -> servers.forEach(s -> out.add(listenAddresses(ctx, s)));
            case PORT -> servers.forEach(s -> out.add(port(ctx, s)));
            case SOCKET_DIRECTORIES -> servers.forEach(s -> out.add(socketDirectories(ctx, s)));
            case HBA_ADDRESS -> out.addAll(hbaAddresses(ctx));
            case PATH -> out.addAll(paths(ctx, servers));
            case SERVICE_PORT -> out.addAll(servicePorts(ctx, servers));
            case SERVICE_NAME -> out.addAll(serviceNames(ctx));
        }
        return out;
    }

    // ----- helpers -------------------------------------------------------------------------------------------------

    /** A container's key in its pod template: {@code initContainers[name]} or {@code containers[name]}. */
    static String containerField(Workload w, Container c) {
        boolean init = Optional.ofNullable(w.template().getSpec().getInitContainers()).orElse(List.of()).contains(c);
        return (init ? "initContainers[" : "containers[") + c.getName() + "]";
    }

    static Optional<String> envValue(Container c, String name) {
        return Optional.ofNullable(c.getEnv()).orElse(List.of()).stream()
                .filter(e -> name.equals(e.getName()) && e.getValue() != null).map(EnvVar::getValue).findFirst();
    }

    static String unquote(String v) {
        if (v == null) {
            return null;
        }
        String t = v.trim();
        return t.length() >= 2 && (t.startsWith("'") && t.endsWith("'") || t.startsWith("\"") && t.endsWith("\""))
                ? t.substring(1, t.length() - 1) : t;
    }

    static Optional<Integer> number(String s) {
        try {
            return s == null ? Optional.empty() : Optional.of(Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static boolean isOff(String value) {
        return Set.of("off", "false", "no", "0").contains(value.trim().toLowerCase(Locale.ROOT));
    }

    static String stripSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    static boolean isLoopbackName(String address) {
        return address.equals("localhost") || address.startsWith("127.") || address.equals("::1");
    }
}
