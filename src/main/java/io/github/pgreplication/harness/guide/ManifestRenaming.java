package io.github.pgreplication.harness.guide;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Manifests with names changed consistently: each name as a whole token, wherever the text gives it (an object's name,
 * a label's value, a Service's host in a conninfo or a script), never inside a path ({@code /var/lib/postgresql}), a
 * longer name ({@code postgresql-slave}) or a file name ({@code postgresql.conf}). A team's renamed manifests are
 * certified this way, and in the namespace a tenant was given each pair is made from its manifests with every object
 * name suffixed.
 */
public final class ManifestRenaming {

    private ManifestRenaming() {
    }

    /** Every object name of {@code set}, mapped to itself with {@code suffix}. */
    public static Map<String, String> suffixed(ManifestSet set, String suffix) {
        Map<String, String> renames = new LinkedHashMap<>();
        set.resources().stream().map(LoadedResource::name).distinct().forEach(n -> renames.put(n, n + suffix));
        return renames;
    }

    /** {@code text} with each name of {@code renames} replaced, as a whole token, by its new name. */
    public static String rename(String text, Map<String, String> renames) {
        if (renames.isEmpty()) {
            return text;
        }
        String names = renames.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed())
                .map(Pattern::quote).collect(Collectors.joining("|"));
        Matcher m = Pattern.compile("(?<![\\w/.-])(" + names + ")(?![\\w/-]|\\.conf|\\.auto\\.conf)").matcher(text);
        return m.replaceAll(r -> Matcher.quoteReplacement(renames.get(r.group(1))));
    }

    /**
     * Writes into {@code to} (created) the YAML files of {@code model}'s directory with {@code renames} applied to their
     * text, under the same file names (symbolic links followed), and loads them.
     */
    public static GuideModel write(GuideModel model, Map<String, String> renames, Path to) {
        Path from = model.manifests().dir();
        try (Stream<Path> files = Files.list(from)) {
            Files.createDirectories(to);
            for (Path f : files.filter(p -> Files.isRegularFile(p) && p.toString().matches(".*\\.ya?ml")).toList()) {
                Files.writeString(to.resolve(f.getFileName().toString()),
                        rename(Files.readString(f, StandardCharsets.UTF_8), renames), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the renamed manifests of " + from + " into " + to, e);
        }
        return GuideModel.load(to);
    }
}
