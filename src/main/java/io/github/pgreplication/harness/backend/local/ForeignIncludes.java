package io.github.pgreplication.harness.backend.local;

import io.github.pgreplication.harness.backend.ContainerExited;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps a local pod from reading what only another pod's container has. Pods here share the host's filesystem, so a
 * configuration file can include a file of another pod's image (the sclorg image's postgresql.conf includes its
 * {@code $HOME/openshift-custom-postgresql.conf}; a replica on the official image copies that postgresql.conf): a
 * container of another image has no such file and its server stops. So does the local pod's, before it starts, with
 * the message PostgreSQL gives.
 */
final class ForeignIncludes {

    private static final Pattern INCLUDE = Pattern.compile("^\\s*(include|include_if_exists)\\s*=?\\s*'([^']*)'", Pattern.MULTILINE);

    private ForeignIncludes() {
    }

    /**
     * Fails as the server would when the configuration it reads ({@code configFile}, following its includes) includes
     * a file in another pod's directory of the run; {@code ownRoot} is this pod's directory.
     */
    static void check(LocalPod pod, Path configFile, Path ownRoot) {
        Path pods = ownRoot.getParent();
        foreign(configFile, ownRoot, pods, 0).ifPresent(f -> {
            throw new ContainerExited(pod.name(), 1, "LOG:  could not open configuration file \"" + f.inImage()
                    + "\": No such file or directory\nFATAL:  configuration file \"" + f.includedFrom()
                    + "\" contains errors\n(played by the local backend: that file is another pod's, "
                    + f.onHost() + ", which this pod's container does not have)");
        });
    }

    private record Foreign(String inImage, Path onHost, Path includedFrom) {
    }

    private static Optional<Foreign> foreign(Path file, Path ownRoot, Path pods, int depth) {
        if (depth > 10 || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the configuration file " + file, e);
        }
        Matcher m = INCLUDE.matcher(text);
        while (m.find()) {
            Path included = file.resolveSibling(m.group(2)).normalize();
            if (included.startsWith(pods) && !included.startsWith(ownRoot)) {
                Path relative = pods.relativize(included);
                // pods/<pod>/fs/<path in that pod's image>
                String inImage = relative.getNameCount() > 2 && relative.getName(1).toString().equals("fs")
                        ? "/" + relative.subpath(2, relative.getNameCount()) : included.toString();
                return Optional.of(new Foreign(inImage, included, file));
            }
            Optional<Foreign> deeper = foreign(included, ownRoot, pods, depth + 1);
            if (deeper.isPresent()) {
                return deeper;
            }
        }
        return Optional.empty();
    }

    /** The configuration file a server reads: its {@code -c config_file=} among {@code args}, else PGDATA's. */
    static Path configFile(List<String> args, Path pgdata) {
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals("-c") && args.get(i + 1).startsWith("config_file=")) {
                return Path.of(args.get(i + 1).substring("config_file=".length()));
            }
        }
        return pgdata.resolve("postgresql.conf");
    }
}
