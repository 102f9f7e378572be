package io.github.pgreplication.harness.lint;

import static io.github.pgreplication.harness.lint.PodValues.unquote;
import static io.github.pgreplication.harness.lint.PodValues.envValue;
import static io.github.pgreplication.harness.lint.PodValues.number;
import static io.github.pgreplication.harness.lint.PodValues.INCLUDE;
import static io.github.pgreplication.harness.lint.NetworkValues.listenAddresses;
import static io.github.pgreplication.harness.lint.NetworkValues.port;
import static io.github.pgreplication.harness.lint.NetworkValues.socketDirectories;
import io.github.pgreplication.harness.lint.PodValues.Judged;
import io.github.pgreplication.harness.lint.PodValues.Kind;
import static io.github.pgreplication.harness.lint.LintContext.commandWords;

import io.fabric8.kubernetes.api.model.Container;
import io.github.pgreplication.harness.guide.ImageContract;
import io.github.pgreplication.harness.guide.LoadedResource;
import io.github.pgreplication.harness.guide.PgConf;
import io.github.pgreplication.harness.lint.LintContext.At;
import io.github.pgreplication.harness.lint.LintContext.ServerFile;
import io.github.pgreplication.harness.lint.LintContext.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The servers of a manifests directory, as a pod on a cluster would run them: each long-running workload's
 * PostgreSQL container, its image's contract, the settings it gets from its command line and its configuration
 * files, and where the team wrote each (for {@link PodValues}).
 */
final class PodServers {

    private PodServers() {
    }

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
        // an image of no known contract is refused where the pods are made
        Optional<ImageContract> known = ImageContract.find(c.getImage());
        if (known.isEmpty()) {
            return Optional.empty();
        }
        ImageContract image = known.get();
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

    static void put(Map<String, String> out, String nameValue) {
        int eq = nameValue.indexOf('=');
        out.put(nameValue.substring(0, eq).trim().toLowerCase(Locale.ROOT).replace('-', '_'), nameValue.substring(eq + 1).trim());
    }
}
