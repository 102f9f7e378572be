package io.github.pgreplication.harness.lint;

import static io.github.pgreplication.harness.lint.LintContext.commandWords;
import static io.github.pgreplication.harness.lint.LintContext.volumeMounts;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.guide.ImageContract;
import io.github.pgreplication.harness.guide.LoadedResource;
import io.github.pgreplication.harness.guide.PgConf;
import io.github.pgreplication.harness.guide.PgHba;
import io.github.pgreplication.harness.lint.LintContext.At;
import io.github.pgreplication.harness.lint.LintContext.ServerFile;
import io.github.pgreplication.harness.lint.LintContext.Workload;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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

    private static final Pattern INCLUDE = Pattern.compile("^\\s*(include|include_if_exists|include_dir)\\s*=?\\s*'([^']*)'",
            Pattern.MULTILINE);
    private static final Pattern ARCHIVE_TARGET = Pattern.compile("(/[^\\s'\";|&]*%f[^\\s'\";|&]*)");

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

    // ----- the servers and their settings --------------------------------------------------------------------------

    /** A setting as the server reads it, where it comes from ({@code origin}) and the place the team wrote it. */
    record Setting(String name, String value, String origin, Place place) {
    }

    /** Where a value is: the guide's step, the file and line, the resource, the key. */
    record Place(String step, String file, int line, String resource, String key) {

        static Place of(LintContext ctx, LoadedResource r, At at) {
            return new Place(ctx.step(r), at.file(), at.line(), at.resource(), at.field());
        }

        Judged judged(Kind kind, String value, boolean fine, String why) {
            return new Judged(kind, step, file, line, resource, key, value, fine, why);
        }
    }

    /**
     * A PostgreSQL server of a long-running workload: its container, the contract of its image (where its data and
     * socket are), its args' settings, its config_file.
     */
    record Server(Workload workload, Container container, ImageContract image, Map<String, String> args,
                  Optional<ServerFile> conf) {

        String name() {
            return workload.resource().ref() + " container " + container.getName();
        }

        String field(String rest) {
            return "containers[" + container.getName() + "]" + rest;
        }

        Optional<String> env(String name) {
            return envValue(container, name);
        }

        /** The data directory: -D or data_directory, else PGDATA, else the image's. */
        String dataDirectory() {
            return Optional.ofNullable(args.get("data_directory"))
                    .or(() -> conf.flatMap(f -> PgConf.parse(f.text()).get("data_directory")).map(PgConf.Entry::value))
                    .orElseGet(() -> image.pgdata(envValue(container, "PGDATA").map(d -> Map.of("PGDATA", d)).orElse(Map.of())));
        }

        /** Whether the server reads the image's postgresql.conf: no config_file, or one that includes PGDATA's. */
        boolean readsImageConf() {
            if (conf.isEmpty()) {
                return true;
            }
            String own = dataDirectory() + "/postgresql.conf";
            Matcher m = INCLUDE.matcher(conf.get().text());
            while (m.find()) {
                if (m.group(2).equals(own)) {
                    return true;
                }
            }
            return false;
        }

        /** A setting: the args', else config_file's, else the fallback's (an environment variable, a default). */
        Setting setting(LintContext ctx, String name, String fallback, String fallbackOrigin) {
            if (args.containsKey(name)) {
                return new Setting(name, args.get(name), "the container's args", Place.of(ctx, workload.resource(),
                        workload.at(field(".args"), "")));
            }
            if (conf.isPresent()) {
                Optional<PgConf.Entry> e = PgConf.parse(conf.get().text()).get(name);
                if (e.isPresent()) {
                    return new Setting(name, e.get().value(), conf.get().key() + " line " + e.get().line(),
                            Place.of(ctx, conf.get().configMap(), conf.get().at(e.get().line(), "")));
                }
                return new Setting(name, fallback, fallbackOrigin, Place.of(ctx, conf.get().configMap(), conf.get().at(0, "")));
            }
            return new Setting(name, fallback, fallbackOrigin, Place.of(ctx, workload.resource(), workload.at(field(".args"), "")));
        }

        Setting port(LintContext ctx) {
            Optional<String> pgport = env("PGPORT");
            return setting(ctx, "port", pgport.orElse("5432"), pgport.isPresent() ? "the container's PGPORT"
                    : "PostgreSQL's default");
        }

        Setting socketDirectories(LintContext ctx) {
            return setting(ctx, "unix_socket_directories", image.socketDirectory(), "the image's default");
        }

        /** The listen_addresses the image's postgresql.conf sets ({@link ImageContract#OFFICIAL}'s {@code '*'}). */
        Setting listenAddresses(LintContext ctx) {
            return readsImageConf()
                    ? setting(ctx, "listen_addresses", "*", "the postgresql.conf of " + image.description()
                            + ", which the server reads")
                    : setting(ctx, "listen_addresses", "localhost", "PostgreSQL's default: config_file replaces the data "
                            + "directory's postgresql.conf, where " + image.description() + " sets '*', and does not "
                            + "include it");
        }

        /** The directories of the image the server can write its socket and lock file in. */
        Set<String> imageSocketDirectories() {
            return Set.of(image.socketDirectory(), image.socketDirectory().replaceFirst("^/var/run/", "/run/"), "/tmp");
        }

        /** The socket directories, unquoted, without empty entries. */
        List<String> socketDirectoryList(LintContext ctx) {
            return List.of(unquote(socketDirectories(ctx).value()).split(",")).stream().map(String::trim)
                    .filter(d -> !d.isEmpty()).toList();
        }

        /** The port the server listens on, if the setting is a number. */
        Optional<Integer> portNumber(LintContext ctx) {
            return number(unquote(port(ctx).value()));
        }
    }

    /** The servers of the long-running workloads, in the manifests' order. */
    static List<Server> servers(LintContext ctx) {
        List<Server> out = new ArrayList<>();
        for (Workload w : ctx.workloads()) {
            if (!w.longRunning()) {
                continue;
            }
            for (Container c : w.containers()) {
                Optional<ImageContract> image = serverImage(c);
                if (image.isPresent()) {
                    Map<String, String> args = serverArgs(commandWords(c));
                    Optional<ServerFile> conf = Optional.ofNullable(args.get("config_file"))
                            .flatMap(path -> ctx.mountedFile(w, c, path));
                    out.add(new Server(w, c, image.get(), args, conf));
                }
            }
        }
        return out;
    }

    /**
     * The contract of a server's image: a container of an image whose contract the harness knows, run through the
     * image's entrypoint (no command) or as its server; empty for any other container (a Job's, an exporter).
     */
    static Optional<ImageContract> serverImage(Container c) {
        ImageContract image;
        try {
            image = ImageContract.of(Optional.ofNullable(c.getImage()).orElse(""));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty(); // an image of no known contract is refused where the pods are made
        }
        List<String> command = Optional.ofNullable(c.getCommand()).orElse(List.of());
        return command.isEmpty() || command.get(0).endsWith(image.entrypoint()) || command.get(0).endsWith("/" + image.command())
                || command.get(0).equals(image.command()) ? Optional.of(image) : Optional.empty();
    }

    /** The server's settings given on its command line: {@code -c name=value}, {@code --name=value}, -p, -k, -h, -D. */
    static Map<String, String> serverArgs(List<String> words) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, String> flags = Map.of("-p", "port", "-k", "unix_socket_directories", "-h", "listen_addresses",
                "-D", "data_directory");
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            String next = i + 1 < words.size() ? words.get(i + 1) : null;
            if (w.equals("-c") && next != null && next.contains("=")) {
                put(out, next);
                i++;
            } else if (w.startsWith("-c") && w.length() > 2 && w.contains("=")) {
                put(out, w.substring(2));
            } else if (w.startsWith("--") && w.contains("=")) {
                put(out, w.substring(2));
            } else if (flags.containsKey(w) && next != null) {
                out.put(flags.get(w), next);
                i++;
            }
        }
        return out;
    }

    private static void put(Map<String, String> out, String nameValue) {
        int eq = nameValue.indexOf('=');
        out.put(nameValue.substring(0, eq).trim().toLowerCase(Locale.ROOT).replace('-', '_'), nameValue.substring(eq + 1).trim());
    }

    // ----- listen_addresses, port, unix_socket_directories ----------------------------------------------------------

    private static Judged listenAddresses(LintContext ctx, Server s) {
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

    private static Judged port(LintContext ctx, Server s) {
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

    private static Judged socketDirectories(LintContext ctx, Server s) {
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

    private static List<Judged> hbaAddresses(LintContext ctx) {
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

    private static Judged hbaAddress(LintContext ctx, Place place, PgHba.Line l, Cidr cidr) {
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

    // ----- paths ---------------------------------------------------------------------------------------------------

    /** A volume mount holding a path: its volume, what it is, and whether the container can write there. */
    record Mount(VolumeMount mount, Optional<Volume> volume, String type, boolean writable) {

        String describe() {
            return "the " + type + " `" + mount.getName() + "` mounted at " + mount.getMountPath();
        }

        boolean persistent() {
            return type.startsWith("claim");
        }
    }

    /** The mount of the container that holds the path (the deepest one), if any. */
    static Optional<Mount> mount(LintContext ctx, Workload w, Container c, String path) {
        String p = stripSlash(path);
        Optional<VolumeMount> vm = volumeMounts(c).stream()
                .filter(m -> p.equals(stripSlash(m.getMountPath())) || p.startsWith(stripSlash(m.getMountPath()) + "/"))
                .max((a, b) -> Integer.compare(a.getMountPath().length(), b.getMountPath().length()));
        if (vm.isEmpty()) {
            return Optional.empty();
        }
        Optional<Volume> v = Optional.ofNullable(w.volumesByName().get(vm.get().getName()));
        boolean readOnlyMount = Boolean.TRUE.equals(vm.get().getReadOnly());
        if (v.isEmpty()) {
            return Optional.of(new Mount(vm.get(), v, "undefined volume", false));
        }
        Volume volume = v.get();
        if (volume.getPersistentVolumeClaim() != null) {
            String claim = volume.getPersistentVolumeClaim().getClaimName();
            boolean readOnlyClaim = Boolean.TRUE.equals(volume.getPersistentVolumeClaim().getReadOnly())
                    || accessModes(ctx, claim).map(modes -> !modes.isEmpty() && modes.stream().allMatch("ReadOnlyMany"::equals))
                    .orElse(false);
            return Optional.of(new Mount(vm.get(), v, "claim " + claim, !readOnlyMount && !readOnlyClaim));
        }
        if (volume.getEmptyDir() != null) {
            return Optional.of(new Mount(vm.get(), v, "emptyDir", !readOnlyMount));
        }
        if (volume.getConfigMap() != null) {
            return Optional.of(new Mount(vm.get(), v, "ConfigMap " + volume.getConfigMap().getName(), false));
        }
        if (volume.getSecret() != null) {
            return Optional.of(new Mount(vm.get(), v, "Secret " + volume.getSecret().getSecretName(), false));
        }
        return Optional.of(new Mount(vm.get(), v, "volume", !readOnlyMount));
    }

    /** The access modes of a claim the manifests define. */
    static Optional<List<String>> accessModes(LintContext ctx, String claim) {
        return ctx.manifests().find("PersistentVolumeClaim", claim).map(r -> (PersistentVolumeClaim) r.resource())
                .map(pvc -> pvc.getSpec() == null || pvc.getSpec().getAccessModes() == null ? List.of()
                        : pvc.getSpec().getAccessModes());
    }

    private static List<Judged> paths(LintContext ctx, List<Server> servers) {
        List<Judged> out = new ArrayList<>();
        for (Workload w : ctx.workloads()) {
            if (!w.longRunning()) {
                continue;
            }
            for (Container c : w.allContainers()) {
                envValue(c, "PGDATA").ifPresent(pgdata -> out.add(dataDirectory(ctx, w, c, "PGDATA=" + pgdata, pgdata,
                        Place.of(ctx, w.resource(), w.at(containerField(w, c) + ".env[PGDATA]", "")))));
            }
        }
        for (Server s : servers) {
            if (s.args().containsKey("data_directory")) {
                out.add(dataDirectory(ctx, s.workload(), s.container(), "data_directory=" + s.args().get("data_directory"),
                        s.args().get("data_directory"), Place.of(ctx, s.workload().resource(), s.workload().at(s.field(".args"), ""))));
            }
            for (String file : List.of("config_file", "hba_file", "ident_file")) {
                Setting f = s.setting(ctx, file, null, null);
                if (f.value() != null) {
                    out.add(serverFile(ctx, s, f));
                }
            }
            s.conf().ifPresent(conf -> out.addAll(includes(ctx, s, conf)));
            archiveTargets(ctx, s).forEach(out::add);
        }
        return out;
    }

    private static Judged dataDirectory(LintContext ctx, Workload w, Container c, String value, String path, Place place) {
        Optional<Mount> m = mount(ctx, w, c, unquote(path));
        String where = "container " + c.getName() + " of " + w.resource().ref();
        if (m.isEmpty()) {
            return place.judged(Kind.PATH, value, false, "no mount of " + where + " holds it: the data directory is the "
                    + "container's own filesystem, lost whenever the pod is recreated; put it on the claim");
        }
        if (!m.get().writable()) {
            return place.judged(Kind.PATH, value, false, "it is on " + m.get().describe() + ", read-only: the server "
                    + "cannot write its data directory");
        }
        if (!m.get().persistent()) {
            return place.judged(Kind.PATH, value, false, "it is on " + m.get().describe() + ", which goes with the pod: "
                    + "the data directory is lost whenever the pod is recreated; put it on the claim");
        }
        return place.judged(Kind.PATH, value, true, "it is on " + m.get().describe() + " of " + where
                + ", writable, and outlives the pod");
    }

    private static Judged serverFile(LintContext ctx, Server s, Setting f) {
        String path = unquote(f.value());
        String value = f.name() + "=" + path + " (" + f.origin() + ")";
        Optional<Mount> m = mount(ctx, s.workload(), s.container(), path);
        if (m.isEmpty()) {
            return f.place().judged(Kind.PATH, value, false, "no mount of " + s.name() + " holds it: in the pod the "
                    + "server finds no file there, and does not start");
        }
        if (m.get().volume().map(v -> v.getConfigMap() != null).orElse(false)
                && ctx.mountedFile(s.workload(), s.container(), path).isEmpty()) {
            return f.place().judged(Kind.PATH, value, false, "it is on " + m.get().describe() + ", which has no key for it: "
                    + "the server finds no file there, and does not start");
        }
        return f.place().judged(Kind.PATH, value, true, "it is on " + m.get().describe() + " of " + s.name());
    }

    private static List<Judged> includes(LintContext ctx, Server s, ServerFile conf) {
        List<Judged> out = new ArrayList<>();
        String[] lines = conf.text().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = INCLUDE.matcher(lines[i]);
            if (!m.find() || !m.group(2).startsWith("/")) {
                continue;
            }
            Place place = Place.of(ctx, conf.configMap(), conf.at(i + 1, ""));
            String value = m.group(1) + " '" + m.group(2) + "'";
            Optional<Mount> mount = mount(ctx, s.workload(), s.container(), m.group(2));
            out.add(mount.isEmpty()
                    ? place.judged(Kind.PATH, value, false, "no mount of " + s.name() + " holds it: in the pod there is "
                            + "nothing there to read" + (m.group(1).equals("include") ? ", and the server does not start" : ""))
                    : place.judged(Kind.PATH, value, true, "it is on " + mount.get().describe() + " of " + s.name()));
        }
        return out;
    }

    /** The directories archive_command copies segments into, when archive_mode is on. */
    private static List<Judged> archiveTargets(LintContext ctx, Server s) {
        Setting mode = s.setting(ctx, "archive_mode", "off", "PostgreSQL's default");
        if (isOff(unquote(mode.value()))) {
            return List.of();
        }
        Setting command = s.setting(ctx, "archive_command", "", "PostgreSQL's default");
        List<Judged> out = new ArrayList<>();
        Matcher m = ARCHIVE_TARGET.matcher(command.value());
        List<String> seen = new ArrayList<>();
        while (m.find()) {
            String target = m.group(1);
            String dir = target.substring(0, target.lastIndexOf('/'));
            if (dir.isEmpty() || seen.contains(dir)) {
                continue;
            }
            seen.add(dir);
            String value = "archive_command's directory " + dir + " (" + command.origin() + ")";
            Optional<Mount> mount = mount(ctx, s.workload(), s.container(), dir);
            if (mount.isEmpty()) {
                out.add(command.place().judged(Kind.PATH, value, false, "no mount of " + s.name() + " holds it: in the "
                        + "pod it is the image's filesystem, where the directory is absent (every archiving fails, and WAL "
                        + "piles up) or lost with the pod"));
            } else if (!mount.get().writable()) {
                out.add(command.place().judged(Kind.PATH, value, false, "it is on " + mount.get().describe()
                        + ", read-only: every archiving fails, and WAL piles up on the master"));
            } else {
                out.add(command.place().judged(Kind.PATH, value, true, "it is on " + mount.get().describe() + " of "
                        + s.name() + ", writable" + (mount.get().persistent() ? ""
                        : " (an archive there goes with the pod: PGR023 judges that)")));
            }
        }
        return out;
    }

    // ----- Services ------------------------------------------------------------------------------------------------

    /** Each port of each Service that selects a server's pod: its targetPort must lead to where that server listens. */
    private static List<Judged> servicePorts(LintContext ctx, List<Server> servers) {
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

    private static Judged targetPort(LintContext ctx, Place place, ServicePort sp, Workload w, List<Server> servers) {
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
    private static List<Judged> serviceNames(LintContext ctx) {
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

    private static String stripSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static boolean isLoopbackName(String address) {
        return address.equals("localhost") || address.startsWith("127.") || address.equals("::1");
    }
}
