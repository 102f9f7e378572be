package io.github.pgreplication.harness.lint;

import static io.github.pgreplication.harness.lint.LintContext.commandWords;
import static io.github.pgreplication.harness.lint.LintContext.volumeMounts;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.guide.LoadedResource;
import io.github.pgreplication.harness.guide.RunSecrets;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Kubernetes objects and what they name: ConfigMaps, Secrets, Services' selectors, the guide's selectors. */
final class ManifestRules {

    static final List<LintRule> RULES = List.of(new ConfigMapReference(), new SecretReference(), new ServiceSelector(),
            new GuideLabelSelector(), new WeakSecret());

    private ManifestRules() {
    }

    static final class ConfigMapReference extends LintRule {

        ConfigMapReference() {
            super("PGR001", "configmap-reference", Severity.ERROR,
                    "Every ConfigMap a pod mounts, every key behind a subPath, and every script a command runs from a "
                            + "ConfigMap mount must exist, or the pod never starts.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            List<At> out = new ArrayList<>();
            for (Workload w : ctx.workloads()) {
                Map<String, Volume> volumes = w.volumesByName();
                for (Container c : w.allContainers()) {
                    for (VolumeMount m : volumeMounts(c)) {
                        out.addAll(missingBehind(ctx, w, c, m, volumes.get(m.getName())));
                    }
                }
            }
            return out;
        }

        /** What is missing behind one mount: its volume, the volume's ConfigMap, the keys it reads from it. */
        private static List<At> missingBehind(LintContext ctx, Workload w, Container c, VolumeMount m, Volume v) {
            String field = "containers[" + c.getName() + "].volumeMounts[" + m.getName() + "]";
            if (v == null) {
                return List.of(w.at(field, "mounts volume '" + m.getName() + "', which the pod does not define"));
            }
            if (v.getConfigMap() == null) {
                return List.of();
            }
            String name = v.getConfigMap().getName();
            Optional<ConfigMap> cm = ctx.configMap(name);
            if (cm.isEmpty()) {
                return List.of(w.at("volumes[" + v.getName() + "].configMap.name", "ConfigMap '" + name
                        + "' is not defined in the manifests"));
            }
            Map<String, String> data = Optional.ofNullable(cm.get().getData()).orElse(Map.of());
            if (hasSubPath(m)) {
                return data.containsKey(m.getSubPath()) ? List.of() : List.of(w.at(field + ".subPath", "ConfigMap '" + name
                        + "' has no key '" + m.getSubPath() + "' (keys: " + data.keySet() + ")"));
            }
            return scriptsMissing(w, c, m, name, data);
        }

        private static boolean hasSubPath(VolumeMount m) {
            return m.getSubPath() != null && !m.getSubPath().isEmpty();
        }

        /** The files the container's command runs from the mount (a whole ConfigMap) that the ConfigMap does not hold. */
        private static List<At> scriptsMissing(Workload w, Container c, VolumeMount m, String configMap,
                                               Map<String, String> data) {
            List<At> out = new ArrayList<>();
            String directory = m.getMountPath() + "/";
            for (String word : commandWords(c)) {
                String key = word.startsWith(directory) ? word.substring(directory.length()) : null;
                if (key != null && !data.containsKey(key)) {
                    out.add(w.at("containers[" + c.getName() + "].command", "runs " + word + " but ConfigMap '" + configMap
                            + "' has no key '" + key + "'"));
                }
            }
            return out;
        }
    }

    static final class SecretReference extends LintRule {

        SecretReference() {
            super("PGR002", "secret-reference", Severity.ERROR,
                    "Every secretKeyRef must name a Secret and a key that exist, or the container cannot be created.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            List<At> out = new ArrayList<>();
            for (Workload w : ctx.workloads()) {
                for (Container c : w.allContainers()) {
                    out.addAll(missingSecrets(ctx, w, c));
                }
            }
            return out;
        }

        /** The container's secretKeyRefs whose Secret, or whose key in it, the manifests do not define. */
        private static List<At> missingSecrets(LintContext ctx, Workload w, Container c) {
            List<At> out = new ArrayList<>();
            for (EnvVar e : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
                if (e.getValueFrom() == null || e.getValueFrom().getSecretKeyRef() == null) {
                    continue;
                }
                String name = e.getValueFrom().getSecretKeyRef().getName();
                String key = e.getValueFrom().getSecretKeyRef().getKey();
                String field = "containers[" + c.getName() + "].env[" + e.getName() + "].valueFrom.secretKeyRef";
                Optional<LoadedResource> s = ctx.manifests().find("Secret", name);
                if (s.isEmpty()) {
                    out.add(w.at(field, "Secret '" + name + "' is not defined in the manifests"));
                } else if (!secretKeys((Secret) s.get().resource()).contains(key)) {
                    out.add(w.at(field, "Secret '" + name + "' has no key '" + key + "' (keys: "
                            + secretKeys((Secret) s.get().resource()) + ")"));
                }
            }
            return out;
        }
    }

    static final class ServiceSelector extends LintRule {

        ServiceSelector() {
            super("PGR003", "service-selector", Severity.ERROR,
                    "A Service whose selector matches no pod template's labels has no endpoint: clients cannot connect.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            List<At> out = new ArrayList<>();
            for (LoadedResource r : ctx.manifests().ofKind("Service")) {
                Map<String, String> selector = ((Service) r.resource()).getSpec().getSelector();
                if (selector != null && !selector.isEmpty() && !ctx.anyWorkloadHasLabels(selector)) {
                    out.add(At.on(r, "spec.selector", "selects " + selector + ", which no pod template's labels match"));
                }
            }
            return out;
        }
    }

    static final class GuideLabelSelector extends LintRule {

        private static final Pattern OC_SELECTOR =
                Pattern.compile("(?:oc|kubectl) [^\\n]*?-l ([\\w./-]+=[\\w.-]+(?:,[\\w./-]+=[\\w.-]+)*)");

        GuideLabelSelector() {
            super("PGR004", "guide-label-selector", Severity.ERROR,
                    "The guide finds its pods with `oc get pods -l <selector>`; a selector no pod template matches makes "
                            + "MASTER_POD or SLAVE_POD empty and every later command fail.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            if (ctx.guide().isEmpty()) {
                return List.of();
            }
            GuideDocument guide = ctx.guide().get();
            List<At> out = new ArrayList<>();
            Set<String> seen = new TreeSet<>();
            for (GuideDocument.CodeBlock b : guide.blocks()) {
                for (String selector : selectors(b.text())) {
                    if (seen.add(selector) && !ctx.anyWorkloadHasLabels(labels(selector))) {
                        out.add(new At(guide.file().getFileName().toString(), b.line(), "guide", "-l " + selector,
                                "the guide's selector matches no pod template's labels"));
                    }
                }
            }
            return out;
        }

        /** The {@code -l} selectors of the block's {@code oc} and {@code kubectl} commands, in order. */
        private static List<String> selectors(String block) {
            List<String> out = new ArrayList<>();
            Matcher m = OC_SELECTOR.matcher(block);
            while (m.find()) {
                out.add(m.group(1));
            }
            return out;
        }

        /** {@code a=b,c=d} as labels. */
        private static Map<String, String> labels(String selector) {
            Map<String, String> wanted = new LinkedHashMap<>();
            for (String kv : selector.split(",")) {
                wanted.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
            return wanted;
        }
    }

    static final class WeakSecret extends LintRule {

        static final Set<String> WEAK =
                Set.of("password", "postgres", "changeme", "admin", "secret", "123456", "replicator");

        WeakSecret() {
            super("PGR012", "weak-secret", Severity.WARNING,
                    "A placeholder must be replaced before `oc apply`, and a short or common password is guessed first.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            List<At> out = new ArrayList<>();
            for (LoadedResource r : ctx.manifests().ofKind("Secret")) {
                for (String key : secretKeys((Secret) r.resource())) {
                    if (key.toLowerCase(Locale.ROOT).contains("password")) { // a user name is not a secret
                        weakness(ctx, r, key).ifPresent(out::add);
                    }
                }
            }
            return out;
        }

        /** The password under that key, if it is a placeholder or weak. */
        private static Optional<At> weakness(LintContext ctx, LoadedResource r, String key) {
            String v = ctx.manifests().secretValue(r.resource().getMetadata().getName(), key);
            if (RunSecrets.isPlaceholder(v)) {
                return Optional.of(At.on(r, "stringData." + key, "placeholder " + v
                        + ": replace it with a strong random value"));
            }
            if (v.length() < 16 || WEAK.contains(v.toLowerCase(Locale.ROOT))) {
                return Optional.of(At.on(r, "stringData." + key, "weak value (" + v.length() + " characters)"));
            }
            return Optional.empty();
        }
    }

    /** The keys of a Secret, its stringData's and its data's, sorted. */
    private static Set<String> secretKeys(Secret s) {
        Set<String> keys = new TreeSet<>();
        Optional.ofNullable(s.getStringData()).ifPresent(m -> keys.addAll(m.keySet()));
        Optional.ofNullable(s.getData()).ifPresent(m -> keys.addAll(m.keySet()));
        return keys;
    }
}
