package io.github.pgreplication.harness.lint;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The lint rules, in the order of their ids. Ids are stable: a rule that goes away leaves its id unused.
 *
 * <p>Each rule is one class, a {@link LintRule} nested in the file of its theme, which lists it in its {@code RULES}:
 * <ul>
 *   <li>{@link ManifestRules}: the Kubernetes objects and what they name: ConfigMaps, Secrets, Services' selectors, the
 *       guide's {@code oc -l} selectors, the Secrets' values;</li>
 *   <li>{@link WorkloadRules}: the pod templates' containers: their images, probes and limits, security contexts, and
 *       what each image's contract does with their args and script directories;</li>
 *   <li>{@link ServerSettingRules}: the servers' postgresql.conf, master and replica;</li>
 *   <li>{@link HbaRules}: pg_hba.conf, and which server reads one;</li>
 *   <li>{@link ScriptRules}: the shell scripts the ConfigMaps hold;</li>
 *   <li>{@link MonitoringRules}: the monitoring CronJob;</li>
 *   <li>{@link PodRules}: the values a backend adapts for its host (listen_addresses, port, socket directories,
 *       pg_hba.conf's networks, paths, Services' names and ports), judged for a pod on a cluster ({@link PodValues});</li>
 *   <li>{@link ControllerRules}: what the backends without a cluster do not play: controllers against their claims and
 *       selectors, probes against their server.</li>
 * </ul>
 *
 * <p>The last two themes are {@link #beforeAdapting()}: the preflight runs them on every backend, before anything starts.
 *
 * <p>To add a rule: in its theme's file, write a class extending {@link LintRule} with the next free id, its name,
 * severity and rationale, and a {@code check} returning where the defect shows (read what it needs from
 * {@link LintContext}); add an instance to that file's {@code RULES}. RulesTest then asks for its failing and its
 * passing fixture (manifests/corrected with one edit), and fails until both are there.
 */
public final class Rules {

    private Rules() {
    }

    public static List<LintRule> all() {
        return Stream.of(ManifestRules.RULES, WorkloadRules.RULES, ServerSettingRules.RULES, HbaRules.RULES,
                        ScriptRules.RULES, MonitoringRules.RULES, PodRules.RULES, ControllerRules.RULES)
                .flatMap(List::stream).sorted(Comparator.comparing(LintRule::id)).toList();
    }

    /**
     * The rules the preflight runs before anything starts, on every backend: what a backend adapts for its host, judged
     * for a pod on a cluster, and the parts of Kubernetes a backend does not play. None needs the guide or the target
     * major, so they hold for a team's own names and any major.
     */
    public static List<LintRule> beforeAdapting() {
        return Stream.of(PodRules.RULES, ControllerRules.RULES).flatMap(List::stream)
                .sorted(Comparator.comparing(LintRule::id)).toList();
    }
}
