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
 *   <li>{@link WorkloadRules}: the pod templates' containers: their images, probes and limits, security contexts;</li>
 *   <li>{@link ServerSettingRules}: the servers' postgresql.conf, master and replica;</li>
 *   <li>{@link HbaRules}: pg_hba.conf, and which server reads one;</li>
 *   <li>{@link ScriptRules}: the shell scripts the ConfigMaps hold;</li>
 *   <li>{@link MonitoringRules}: the monitoring CronJob.</li>
 * </ul>
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
                        ScriptRules.RULES, MonitoringRules.RULES)
                .flatMap(List::stream).sorted(Comparator.comparing(LintRule::id)).toList();
    }
}
