package io.github.pgreplication.harness.lint;

import static io.github.pgreplication.harness.lint.PodValues.envValue;
import static io.github.pgreplication.harness.lint.PodValues.containerField;
import static io.github.pgreplication.harness.lint.PodValues.number;
import static io.github.pgreplication.harness.lint.PodServers.servers;
import static io.github.pgreplication.harness.lint.NetworkValues.port;
import io.github.pgreplication.harness.lint.PodValues.Judged;
import io.github.pgreplication.harness.lint.PodValues.Kind;
import io.github.pgreplication.harness.lint.PodServers.Server;
import io.github.pgreplication.harness.lint.PodServers.Place;
import io.github.pgreplication.harness.lint.NetworkValues.Cidr;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.github.pgreplication.harness.guide.LoadedResource;
import io.github.pgreplication.harness.lint.LintContext.At;
import io.github.pgreplication.harness.lint.LintContext.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@link PodValues}' judgements of the Services that select a server's pod: their names, and whether each
 * port's targetPort leads to where the server listens.
 */
final class ServiceValues {

    private ServiceValues() {
    }

    /** Each port of each Service that selects a server's pod: its targetPort must lead to where that server listens. */
    static List<Judged> servicePorts(LintContext ctx, List<Server> servers) {
        List<Judged> out = new ArrayList<>();
        for (LoadedResource r : ctx.manifests().ofKind("Service")) {
            Service service = (Service) r.resource();
            if (service.getSpec() == null || service.getSpec().getPorts() == null) {
                continue;
            }
            for (Workload w : ctx.selectedBy(service.getSpec().getSelector())) {
                List<Server> inPod = servers.stream().filter(s -> s.workload().equals(w)).toList();
                if (inPod.isEmpty()) {
                    continue;
                }
                List<ServicePort> ports = service.getSpec().getPorts();
                for (int i = 0; i < ports.size(); i++) {
                    ServicePort sp = ports.get(i);
                    String field = "spec.ports[" + (sp.getName() != null ? sp.getName() : i) + "].targetPort";
                    out.add(targetPort(ctx, Place.of(ctx, r, At.on(r, field, "")), sp, w, inPod));
                }
            }
        }
        return out;
    }

    static Judged targetPort(LintContext ctx, Place place, ServicePort sp, Workload w, List<Server> servers) {
        IntOrString target = sp.getTargetPort();
        String shown = target == null ? sp.getPort() + " (none given: the port)"
                : target.getIntVal() != null ? target.getIntVal().toString() : "'" + target.getStrVal() + "'";
        String value = "port " + sp.getPort() + " → targetPort " + shown;
        Optional<Integer> number;
        String how;
        if (target != null && target.getIntVal() == null && number(target.getStrVal()).isEmpty()) {
            Map<String, Integer> named = new LinkedHashMap<>();
            for (Container c : w.containers()) {
                Optional.ofNullable(c.getPorts()).orElse(List.of()).stream().filter(p -> p.getName() != null)
                        .forEach(p -> named.put(p.getName(), p.getContainerPort()));
            }
            number = Optional.ofNullable(named.get(target.getStrVal()));
            if (number.isEmpty()) {
                return place.judged(Kind.SERVICE_PORT, value, false, "'" + target.getStrVal() + "' names no port of the "
                        + "containers of " + w.resource().ref() + " (their named ports: " + named + "): the Service has no "
                        + "endpoint port, and no client reaches the server");
            }
            how = "the containerPort named '" + target.getStrVal() + "', " + number.get();
        } else {
            number = target == null ? Optional.ofNullable(sp.getPort())
                    : target.getIntVal() != null ? Optional.of(target.getIntVal()) : number(target.getStrVal());
            how = String.valueOf(number.orElse(null));
        }
        List<String> listening = new ArrayList<>();
        for (Server s : servers) {
            Optional<Integer> p = s.portNumber(ctx);
            if (p.equals(number)) {
                return place.judged(Kind.SERVICE_PORT, value, true, how + ", the port the server of " + s.name()
                        + " listens on");
            }
            listening.add(s.name() + " listens on " + p.map(String::valueOf).orElse(s.port(ctx).value()));
        }
        return place.judged(Kind.SERVICE_PORT, value, false, "it leads to " + how + ", where no server of "
                + w.resource().ref() + " listens (" + String.join(", ", listening) + "): every connection through the "
                + "Service is refused");
    }

    /**
     * The environment values that name a Service (MASTER_SERVICE, a *_HOST): the Service must exist, and have the port
     * the container's clients connect to (its PGPORT, else libpq's 5432).
     */
    static List<Judged> serviceNames(LintContext ctx) {
        List<Judged> out = new ArrayList<>();
        Set<String> services = ctx.manifests().ofKind("Service").stream().map(LoadedResource::name)
                .collect(Collectors.toCollection(TreeSet::new));
        for (Workload w : ctx.workloads()) {
            for (Container c : w.allContainers()) {
                for (EnvVar e : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
                    String name = e.getName().toUpperCase(Locale.ROOT);
                    String v = e.getValue();
                    if (v == null || v.isBlank() || v.startsWith("/") || v.contains("$")
                            || !(name.contains("SERVICE") || name.contains("HOST"))) {
                        continue;
                    }
                    Place place = Place.of(ctx, w.resource(), w.at(containerField(w, c) + ".env[" + e.getName() + "]", ""));
                    String host = v.trim();
                    String first = host.split("\\.")[0];
                    String value = e.getName() + "=" + host;
                    Optional<LoadedResource> service = ctx.manifests().find("Service", first);
                    if (service.isEmpty()) {
                        if (name.contains("SERVICE") && Cidr.parse(host).isEmpty()) {
                            out.add(place.judged(Kind.SERVICE_NAME, value, false, "names no Service of the manifests "
                                    + "(they define " + services + "): in a pod the name does not resolve, and what connects "
                                    + "to it waits for ever"));
                        }
                        continue;
                    }
                    int clientPort = envValue(c, "PGPORT").flatMap(PodValues::number).orElse(5432);
                    String origin = envValue(c, "PGPORT").isPresent() ? "its PGPORT" : "libpq's default, no PGPORT";
                    List<Integer> ports = Optional.ofNullable(((Service) service.get().resource()).getSpec().getPorts())
                            .orElse(List.of()).stream().map(ServicePort::getPort).toList();
                    out.add(ports.contains(clientPort)
                            ? place.judged(Kind.SERVICE_NAME, value, true, "Service " + first + " has port " + clientPort
                                    + ", the one container " + c.getName() + "'s clients connect to (" + origin + ")")
                            : place.judged(Kind.SERVICE_NAME, value, false, "Service " + first + " has ports " + ports
                                    + ", and container " + c.getName() + "'s clients connect to " + clientPort + " (" + origin
                                    + "): every connection is refused"));
                }
            }
        }
        return out;
    }
}
