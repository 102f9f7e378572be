package io.github.pgreplication.harness.monitoring;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.github.pgreplication.harness.guide.LoadedResource;
import io.github.pgreplication.harness.guide.ManifestException;
import io.github.pgreplication.harness.guide.ManifestSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The alerting rules of a PrometheusRule, as a Prometheus rule file ({@code groups:} of its {@code spec}),
 * and the metric names each alert's expression reads.
 */
public final class AlertRules {

    /** One alerting rule. */
    public record Alert(String group, String name, String expr, String forDuration) {
    }

    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "offset", "bool", "sum", "min", "max", "avg", "count", "stddev", "stdvar",
            "topk", "bottomk", "quantile", "count_values", "group", "inf", "nan");

    private final LoadedResource source;
    private final Map<String, Object> spec;
    private final List<Alert> alerts;

    private AlertRules(LoadedResource source, Map<String, Object> spec, List<Alert> alerts) {
        this.source = source;
        this.spec = spec;
        this.alerts = alerts;
    }

    @SuppressWarnings("unchecked")
    public static AlertRules of(ManifestSet set, String name) {
        LoadedResource r = set.require("PrometheusRule", name);
        Object spec = ((GenericKubernetesResource) r.resource()).getAdditionalProperties().get("spec");
        if (!(spec instanceof Map<?, ?> m) || !(m.get("groups") instanceof List<?> groups)) {
            throw new ManifestException(r.file(), r.ref(), "spec.groups", "expected a list of rule groups");
        }
        List<Alert> alerts = new ArrayList<>();
        for (Object g : groups) {
            Map<String, Object> group = (Map<String, Object>) g;
            for (Object o : (List<Object>) group.getOrDefault("rules", List.of())) {
                Map<String, Object> rule = (Map<String, Object>) o;
                if (rule.get("alert") != null) {
                    alerts.add(new Alert(String.valueOf(group.get("name")), String.valueOf(rule.get("alert")),
                            String.valueOf(rule.get("expr")), rule.get("for") == null ? null : String.valueOf(rule.get("for"))));
                }
            }
        }
        return new AlertRules(r, (Map<String, Object>) spec, List.copyOf(alerts));
    }

    /** A copy whose expressions have {@code from} replaced by {@code to}: to prove promtool's checks can fail. */
    @SuppressWarnings("unchecked")
    public AlertRules withExprReplaced(String from, String to) {
        Map<String, Object> copy = ManifestSet.copy(spec, Map.class);
        for (Object g : (List<Object>) copy.get("groups")) {
            for (Object o : (List<Object>) ((Map<String, Object>) g).getOrDefault("rules", List.of())) {
                Map<String, Object> rule = (Map<String, Object>) o;
                if (rule.get("expr") != null) {
                    rule.put("expr", String.valueOf(rule.get("expr")).replace(from, to));
                }
            }
        }
        List<Alert> changed = alerts.stream().map(a -> new Alert(a.group(), a.name(), a.expr().replace(from, to), a.forDuration()))
                .toList();
        return new AlertRules(source, copy, changed);
    }

    public LoadedResource source() {
        return source;
    }

    public List<Alert> alerts() {
        return alerts;
    }

    /** A Prometheus rule file: the PrometheusRule's {@code spec}, which is exactly {@code groups: [...]}. */
    public String ruleFile() {
        return ManifestSet.yaml(Map.of("groups", spec.get("groups")));
    }

    /** Every metric name the alerts' expressions read, sorted. */
    public Set<String> metricNames() {
        Set<String> names = new TreeSet<>();
        alerts.forEach(a -> names.addAll(metricNames(a.expr())));
        return names;
    }

    /** The metric names of a PromQL expression: identifiers outside label matchers that are not functions or keywords. */
    static Set<String> metricNames(String expr) {
        String outsideMatchers = expr.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ")
                .replaceAll("\"[^\"]*\"", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENT.matcher(outsideMatchers);
        while (m.find()) {
            String id = m.group();
            int after = m.end();
            while (after < outsideMatchers.length() && outsideMatchers.charAt(after) == ' ') {
                after++;
            }
            boolean function = after < outsideMatchers.length() && outsideMatchers.charAt(after) == '(';
            boolean number = m.start() > 0 && Character.isDigit(outsideMatchers.charAt(m.start() - 1));
            if (!function && !number && !PROMQL_WORDS.contains(id.toLowerCase(java.util.Locale.ROOT))) {
                names.add(id);
            }
        }
        return names;
    }
}
