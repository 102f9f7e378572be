package io.github.pgreplication.harness.guide;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A manifests directory loaded with fabric8's own YAML deserialization: typed resources for the kinds
 * fabric8 knows (Secret, ConfigMap, Deployment, Service, PVC, CronJob), generic resources for OpenShift's
 * DeploymentConfig and the PrometheusRule. Every {@code *.yaml}/{@code *.yml} file is read; a file may hold
 * several documents separated by {@code ---}.
 */
public final class ManifestSet {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final Path dir;
    private final List<LoadedResource> resources;

    private ManifestSet(Path dir, List<LoadedResource> resources) {
        this.dir = dir;
        this.resources = List.copyOf(resources);
    }

    public static ManifestSet load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ManifestException(dir, null, null,
                    "no such manifests directory (set harness.manifests to a directory of the guide's YAML files)");
        }
        List<LoadedResource> loaded = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(ManifestSet::isYaml).sorted().toList()) {
                loaded.addAll(loadFile(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        if (loaded.isEmpty()) {
            throw new ManifestException(dir, null, null, "no YAML resources found (expected the guide's *.yaml files)");
        }
        return new ManifestSet(dir.toAbsolutePath().normalize(), loaded);
    }

    private static boolean isYaml(Path p) {
        String n = p.getFileName().toString();
        return Files.isRegularFile(p) && (n.endsWith(".yaml") || n.endsWith(".yml"));
    }

    static List<LoadedResource> loadFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ManifestException(file, null, null, "cannot be read: " + e.getMessage(), e);
        }
        List<LoadedResource> out = new ArrayList<>();
        StringBuilder doc = new StringBuilder();
        int docStart = 1;
        for (int i = 0; i <= lines.size(); i++) {
            boolean end = i == lines.size() || lines.get(i).matches("^---\\s*$");
            if (!end) {
                doc.append(lines.get(i)).append('\n');
                continue;
            }
            parseDocument(file, docStart, doc.toString()).ifPresent(out::add);
            doc.setLength(0);
            docStart = i + 2;
        }
        return out;
    }

    private static Optional<LoadedResource> parseDocument(Path file, int line, String text) {
        if (text.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
            return Optional.empty();
        }
        Object parsed;
        try {
            parsed = SERIALIZATION.unmarshal(text);
        } catch (RuntimeException e) {
            throw new ManifestException(file, "document at line " + line, null,
                    "malformed YAML or not a Kubernetes resource" + yamlError(e, line), e);
        }
        if (!(parsed instanceof HasMetadata resource) || resource.getKind() == null) {
            throw new ManifestException(file, "document at line " + line, "kind",
                    "expected a Kubernetes resource with apiVersion, kind and metadata.name");
        }
        if (resource.getMetadata() == null || resource.getMetadata().getName() == null) {
            throw new ManifestException(file, resource.getKind() + " at line " + line, "metadata.name",
                    "expected a name");
        }
        return Optional.of(new LoadedResource(resource, file, line));
    }

    private static final java.util.regex.Pattern YAML_MARK = java.util.regex.Pattern.compile("line (\\d+), column (\\d+)");

    /**
     * The parser's problem and the file's line it is at (the document's line plus the parser's, which counts
     * from the document's first line), read from the parser's message ("... line 5, column 2:").
     */
    private static String yamlError(Throwable e, int documentLine) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // SnakeYAML gives the context's mark first ("while parsing a block mapping ... line 1"), the problem's last.
            java.util.regex.Matcher m = YAML_MARK.matcher(String.valueOf(t.getMessage()));
            String line = null;
            String column = null;
            while (m.find()) {
                line = m.group(1);
                column = m.group(2);
            }
            if (line != null) {
                return " at line " + (documentLine + Integer.parseInt(line) - 1) + ", column " + column + ": "
                        + problem(t);
            }
        }
        return ": " + firstLine(e);
    }

    /** SnakeYAML's problem: the line of its message that says what was expected and found. */
    private static String problem(Throwable t) {
        String m = String.valueOf(t.getMessage());
        return m.lines().filter(l -> l.contains("expected") || l.contains("found")).findFirst()
                .orElse(m.lines().findFirst().orElse(m)).trim();
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = String.valueOf(root.getMessage());
        return m.lines().findFirst().orElse(m);
    }

    public Path dir() {
        return dir;
    }

    public List<LoadedResource> resources() {
        return resources;
    }

    public List<LoadedResource> ofKind(String kind) {
        return resources.stream().filter(r -> kind.equals(r.kind())).toList();
    }

    public Optional<LoadedResource> find(String kind, String name) {
        return resources.stream().filter(r -> kind.equals(r.kind()) && name.equals(r.name())).findFirst();
    }

    /** The one resource of a kind and name; a clear error naming the directory when it is absent. */
    public LoadedResource require(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new ManifestException(dir, kind + "/" + name, null,
                "missing resource: no file in this directory defines " + kind + " '" + name + "'"));
    }

    /** The one resource of a kind; an error when there is none or several. */
    public LoadedResource requireSingle(String kind, String role) {
        List<LoadedResource> all = ofKind(kind);
        if (all.size() != 1) {
            throw new ManifestException(dir, kind, null, "expected exactly one " + kind + " (" + role + "), found "
                    + all.size() + (all.isEmpty() ? "" : ": " + all.stream().map(LoadedResource::where).toList()));
        }
        return all.get(0);
    }

    /** A ConfigMap key's text, as a pod would see it mounted. */
    public String configMapValue(String name, String key) {
        LoadedResource r = require("ConfigMap", name);
        ConfigMap cm = (ConfigMap) r.resource();
        Map<String, String> data = cm.getData() == null ? Map.of() : cm.getData();
        String value = data.get(key);
        if (value == null) {
            throw new ManifestException(r.file(), r.ref(), key, "missing ConfigMap key (the ConfigMap has "
                    + data.keySet().stream().sorted().toList() + ")");
        }
        return value;
    }

    /** A Secret key's value from {@code stringData} or base64 {@code data}. */
    public String secretValue(String name, String key) {
        LoadedResource r = require("Secret", name);
        Secret secret = (Secret) r.resource();
        if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
            return secret.getStringData().get(key);
        }
        if (secret.getData() != null && secret.getData().containsKey(key)) {
            return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
        }
        throw new ManifestException(r.file(), r.ref(), key, "secretKeyRef to an absent key (the Secret has "
                + secretKeys(secret) + ")");
    }

    private static List<String> secretKeys(Secret secret) {
        List<String> keys = new ArrayList<>();
        if (secret.getStringData() != null) {
            keys.addAll(secret.getStringData().keySet());
        }
        if (secret.getData() != null) {
            keys.addAll(secret.getData().keySet());
        }
        return keys.stream().sorted().toList();
    }

    /** Converts a generic resource's subtree (a DeploymentConfig's pod template, say) to a typed model class. */
    /** Any value as YAML, with the serialization the manifests are read with. */
    public static String yaml(Object value) {
        return SERIALIZATION.asYaml(value);
    }

    /** Any value as JSON, with the same serialization. */
    public static String json(Object value) {
        return SERIALIZATION.asJson(value);
    }

    /** A YAML document that is not a Kubernetes resource (a mapping file of the harness), as plain values. */
    public static Object parseYaml(String text) {
        return SERIALIZATION.unmarshal(text, Object.class);
    }

    /** A deep copy, through YAML. */
    public static <T> T copy(Object value, Class<T> type) {
        return SERIALIZATION.unmarshal(SERIALIZATION.asYaml(value), type);
    }

    public static <T> T convert(Object value, Class<T> type) {
        return SERIALIZATION.convertValue(value, type);
    }

    /** Secrets of the set with their keys, for the run's password generation. */
    public List<Secret> secrets() {
        return ofKind("Secret").stream().map(r -> (Secret) r.resource()).toList();
    }
}
