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
 * a label's value, a Service's host in a conninfo or a script, {@code oc}'s {@code deployment/NAME}), never inside a
 * path ({@code /var/lib/postgresql}), a
 * longer name ({@code postgresql-slave}) or a file name ({@code postgresql.conf}). A team's renamed manifests are
 * certified this way, and in the namespace a tenant was given each pair is made from its manifests with every object
 * name suffixed.
 */
public final class ManifestRenaming {

    private ManifestRenaming() {
    }

    /**
     * Every object name of {@code set}, mapped to itself with {@code suffix}; and every label value of its pods and
     * selectors that is no object name ({@code role: slave}), as {@code key=value} mapped to {@code key=value<suffix>}:
     * so that a selector of the guide's ({@code oc get pods -l role=slave}) picks one pair's pods only.
     */
    public static Map<String, String> suffixed(ManifestSet set, String suffix) {
        Map<String, String> renames = new LinkedHashMap<>();
        set.resources().stream().map(LoadedResource::name).distinct().forEach(n -> renames.put(n, n + suffix));
        Map<String, String> labels = new LinkedHashMap<>();
        set.resources().forEach(r -> labels(ManifestSet.convert(r.resource(), Map.class), false, labels));
        labels.forEach((key, value) -> {
            if (!renames.containsKey(value)) {
                renames.put(key + LABEL + value, key + LABEL + value + suffix);
            }
        });
        return renames;
    }

    /** An object named as {@code oc} names it, {@code kind/name}: the one place a name follows a slash. */
    private static final String KIND_SLASH = "(?:deployment|deployments|deploymentconfig|dc|pod|pods|svc|service|pvc|"
            + "persistentvolumeclaim|configmap|cm|secret|cronjob|job|replicaset|rs|networkpolicy|statefulset)/";

    /** What separates a label's key from its value in {@link #suffixed}'s map. */
    private static final String LABEL = "=";

    /** The labels of pods and selectors under {@code node}: maps under labels, matchLabels, or a Service's selector. */
    @SuppressWarnings("unchecked")
    private static void labels(Object node, boolean labelMap, Map<String, String> out) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (labelMap && e.getValue() instanceof String v) {
                    out.put(key, v);
                } else {
                    labels(e.getValue(), key.equals("labels") || key.equals("matchLabels") || key.equals("selector"), out);
                }
            }
        } else if (node instanceof Iterable<?> list) {
            list.forEach(x -> labels(x, false, out));
        }
    }

    /**
     * {@code text} with each name of {@code renames} replaced, as a whole token, by its new name; a label's
     * {@code key=value} is replaced where the text gives it as a selector ({@code role=slave}) or in YAML
     * ({@code role: slave}).
     */
    public static String rename(String text, Map<String, String> renames) {
        if (renames.isEmpty()) {
            return text;
        }
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        renames.forEach((from, to) -> (from.contains(LABEL) ? labels : names).put(from, to));
        String out = text;
        if (!names.isEmpty()) {
            String alternatives = names.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed())
                    .map(Pattern::quote).collect(Collectors.joining("|"));
            Matcher m = Pattern.compile("(?:(?<![\\w/.-])|(?<=(?<![\\w.-])" + KIND_SLASH + "))(" + alternatives
                    + ")(?![\\w/-]|\\.conf|\\.auto\\.conf|://)").matcher(out);
            out = m.replaceAll(r -> Matcher.quoteReplacement(names.get(r.group(1))));
        }
        for (Map.Entry<String, String> l : labels.entrySet()) {
            String key = l.getKey().substring(0, l.getKey().indexOf(LABEL));
            String value = l.getKey().substring(l.getKey().indexOf(LABEL) + 1);
            String to = l.getValue().substring(l.getValue().indexOf(LABEL) + 1);
            Matcher m = Pattern.compile("(?<![\\w./-])(" + Pattern.quote(key) + "(?:=|:[ \\t]*)[\"']?)" + Pattern.quote(value)
                    + "(?![\\w/.-])").matcher(out);
            out = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + to));
        }
        return out;
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
