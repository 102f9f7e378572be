package io.github.pgreplication.harness.lint;

import static io.github.pgreplication.harness.lint.PodValues.unquote;
import static io.github.pgreplication.harness.lint.PodValues.stripSlash;
import static io.github.pgreplication.harness.lint.PodValues.isLoopbackName;
import static io.github.pgreplication.harness.lint.PathValues.mount;
import io.github.pgreplication.harness.lint.PodValues.Judged;
import io.github.pgreplication.harness.lint.PodValues.Kind;
import io.github.pgreplication.harness.lint.PodServers.Server;
import io.github.pgreplication.harness.lint.PodServers.Setting;
import io.github.pgreplication.harness.lint.PodServers.Place;
import io.github.pgreplication.harness.lint.PathValues.Mount;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.github.pgreplication.harness.guide.PgHba;
import io.github.pgreplication.harness.lint.LintContext.ServerFile;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link PodValues}' judgements of how a server is reached in a pod: listen_addresses, port,
 * unix_socket_directories, and the pg_hba.conf networks.
 */
final class NetworkValues {

    private NetworkValues() {
    }

    static Judged listenAddresses(LintContext ctx, Server s) {
        Setting l = s.listenAddresses(ctx);
        String value = "listen_addresses = '" + unquote(l.value()) + "' (" + l.origin() + ")";
        List<String> addresses = List.of(unquote(l.value()).split(",")).stream().map(String::trim)
                .filter(a -> !a.isEmpty()).toList();
        if (addresses.stream().anyMatch(a -> Set.of("*", "0.0.0.0", "::").contains(a))) {
            return l.place().judged(Kind.LISTEN_ADDRESSES, value, true, "the server of " + s.name() + " listens on every "
                    + "address of its pod, the one the replica, the Services and the other pods reach it on");
        }
        if (addresses.stream().allMatch(PodValues::isLoopbackName)) {
            return l.place().judged(Kind.LISTEN_ADDRESSES, value, false, "the server of " + s.name()
                    + (addresses.isEmpty() ? " listens on no TCP address at all" : " listens on its pod's loopback only")
                    + ": the replica's pg_basebackup and walreceiver, the Services and every other pod reach it on the pod's "
                    + "address; use '*'");
        }
        return l.place().judged(Kind.LISTEN_ADDRESSES, value, false, "a fixed address: a pod gets its address when it starts, "
                + "so no pod of " + s.workload().resource().ref() + " has it, and the server does not start (« could not bind "
                + "... Cannot assign requested address »); use '*'");
    }

    static Judged port(LintContext ctx, Server s) {
        Setting p = s.port(ctx);
        String value = "port = " + unquote(p.value()) + " (" + p.origin() + ")";
        Optional<Integer> port = s.portNumber(ctx);
        if (port.isEmpty() || port.get() < 1 || port.get() > 65535) {
            return p.place().judged(Kind.PORT, value, false, "not a TCP port");
        }
        List<ContainerPort> declared = Optional.ofNullable(s.container().getPorts()).orElse(List.of());
        if (declared.isEmpty()) {
            return p.place().judged(Kind.PORT, value, true, "container " + s.container().getName() + " declares no "
                    + "containerPort, and the Services that select its pod target " + port.get() + " (judged with them)");
        }
        List<Integer> numbers = declared.stream().map(ContainerPort::getContainerPort).toList();
        if (numbers.contains(port.get())) {
            return p.place().judged(Kind.PORT, value, true, "container " + s.container().getName() + " of "
                    + s.workload().resource().ref() + " declares it as its containerPort");
        }
        return p.place().judged(Kind.PORT, value, false, "container " + s.container().getName() + " of "
                + s.workload().resource().ref() + " declares containerPort " + numbers + ", where the server does not listen");
    }

    static Judged socketDirectories(LintContext ctx, Server s) {
        Setting d = s.socketDirectories(ctx);
        String value = "unix_socket_directories = '" + unquote(d.value()) + "' (" + d.origin() + ")";
        List<String> dirs = s.socketDirectoryList(ctx);
        if (dirs.isEmpty()) {
            return d.place().judged(Kind.SOCKET_DIRECTORIES, value, true, "no Unix socket: the pod's clients use TCP");
        }
        List<String> fine = new ArrayList<>();
        for (String dir : dirs) {
            if (s.imageSocketDirectories().contains(stripSlash(dir))) {
                fine.add(dir + " is a directory of " + s.image().description() + " the server can write");
                continue;
            }
            if (!dir.startsWith("/")) {
                fine.add(dir + " is in the data directory");
                continue;
            }
            Optional<Mount> m = mount(ctx, s.workload(), s.container(), dir);
            if (m.isEmpty()) {
                return d.place().judged(Kind.SOCKET_DIRECTORIES, value, false, dir + " is no directory of the image and no "
                        + "mount of container " + s.container().getName() + ": the server does not create it, and stops "
                        + "(« could not create lock file »)");
            }
            if (!m.get().writable()) {
                return d.place().judged(Kind.SOCKET_DIRECTORIES, value, false, dir + " is on " + m.get().describe()
                        + ", read-only: the server cannot create its socket and lock file there, and stops");
            }
            fine.add(dir + " is on " + m.get().describe() + ", writable");
        }
        return d.place().judged(Kind.SOCKET_DIRECTORIES, value, true, String.join("; ", fine));
    }

    // ----- pg_hba.conf ---------------------------------------------------------------------------------------------

    static List<Judged> hbaAddresses(LintContext ctx) {
        List<Judged> out = new ArrayList<>();
        Optional<ServerFile> master = ctx.masterHba();
        List<ServerFile> files = new ArrayList<>();
        for (ServerFile f : ctx.serverFiles("hba_file")) {
            if (files.stream().noneMatch(g -> g.configMap().equals(f.configMap()) && g.key().equals(f.key()))) {
                files.add(f);
            }
        }
        for (ServerFile f : files) {
            boolean replicationLines = false;
            boolean replicationJudged = false;
            for (PgHba.Line l : PgHba.parse(f.text()).lines()) {
                if (!l.isHost()) {
                    continue;
                }
                boolean replication = List.of(l.database().split(",")).contains("replication");
                replicationLines |= replication;
                Optional<Cidr> cidr = Cidr.parse(l.address());
                if (cidr.isEmpty() || cidr.get().isLoopback()) {
                    continue; // names (all, samenet, a host) and loopback: no backend adapts them
                }
                replicationJudged |= replication;
                out.add(hbaAddress(ctx, Place.of(ctx, f.configMap(), f.at(l.line(), "")), l, cidr.get()));
            }
            if (master.isPresent() && master.get().equals(f) && replicationLines && !replicationJudged) {
                out.add(Place.of(ctx, f.configMap(), f.at(0, "")).judged(Kind.HBA_ADDRESS, "the replication lines of "
                        + f.key(), false, "they admit loopback only: the replica's pg_basebackup and walreceiver connect "
                        + "from its own pod's address, which no replication line admits"));
            }
        }
        return out;
    }

    static Judged hbaAddress(LintContext ctx, Place place, PgHba.Line l, Cidr cidr) {
        String value = "`" + l.type() + " " + l.database() + " " + l.user() + " " + l.address() + "`";
        Optional<Cidr> pods = ctx.podCidr().flatMap(Cidr::parse);
        if (pods.isPresent() && cidr.contains(pods.get())) {
            return place.judged(Kind.HBA_ADDRESS, value, true, l.address() + " holds the cluster's pod network "
                    + ctx.podCidr().get() + " (harness.kube.pod-cidr)");
        }
        if (!cidr.isPrivate()) {
            return place.judged(Kind.HBA_ADDRESS, value, false, l.address() + " is a public network, and a cluster's pods "
                    + "have private addresses (RFC 1918; give harness.kube.pod-cidr if your cluster's do not)");
        }
        if (cidr.prefix() > cidr.widestHostPrefix()) {
            return place.judged(Kind.HBA_ADDRESS, value, false, l.address() + " holds " + cidr.size() + " address"
                    + (cidr.size().equals(BigInteger.ONE) ? "" : "es") + ": a pod's address changes whenever it is recreated, "
                    + "and a cluster gives each node's pods a /" + cidr.widestHostPrefix() + " at least; admit the pod network");
        }
        return place.judged(Kind.HBA_ADDRESS, value, true, l.address() + " is a private network of /" + cidr.prefix()
                + ", as a cluster's pod network is (the guide: « ajuster le CIDR selon votre cluster »)");
    }

    /** An IPv4 or IPv6 network in CIDR notation. */
    record Cidr(byte[] address, int prefix) {

        static Optional<Cidr> parse(String text) {
            String t = text.trim();
            int slash = t.indexOf('/');
            String ip = slash < 0 ? t : t.substring(0, slash);
            if (!ip.matches("[0-9.]+") && !(ip.contains(":") && ip.matches("[0-9a-fA-F:.]+"))) {
                return Optional.empty(); // a name: all, samehost, samenet, a host name
            }
            try {
                byte[] bytes = InetAddress.getByName(ip).getAddress(); // a literal: no lookup
                int bits = bytes.length * 8;
                int prefix = slash < 0 ? bits : Integer.parseInt(t.substring(slash + 1));
                return prefix < 0 || prefix > bits ? Optional.empty() : Optional.of(new Cidr(bytes, prefix));
            } catch (UnknownHostException | NumberFormatException e) {
                return Optional.empty();
            }
        }

        int bits() {
            return address.length * 8;
        }

        BigInteger network() {
            BigInteger a = new BigInteger(1, address);
            return a.shiftRight(bits() - prefix).shiftLeft(bits() - prefix);
        }

        boolean contains(Cidr other) {
            return other.address.length == address.length && other.prefix >= prefix
                    && new Cidr(other.address, prefix).network().equals(network());
        }

        BigInteger size() {
            return BigInteger.ONE.shiftLeft(bits() - prefix);
        }

        int widestHostPrefix() {
            return address.length == 4 ? 24 : 64;
        }

        boolean isLoopback() {
            return address.length == 4 ? (address[0] & 0xff) == 127 : new BigInteger(1, address).equals(BigInteger.ONE);
        }

        /** Within 10/8, 172.16/12, 192.168/16, the shared 100.64/10, or IPv6's unique local fc00::/7. */
        boolean isPrivate() {
            List<String> ranges = address.length == 4 ? List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")
                    : List.of("fc00::/7");
            return ranges.stream().map(Cidr::parse).flatMap(Optional::stream).anyMatch(r -> r.contains(this));
        }
    }
}
