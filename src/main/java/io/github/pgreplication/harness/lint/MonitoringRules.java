package io.github.pgreplication.harness.lint;

import static io.github.pgreplication.harness.lint.LintContext.commandWords;

import io.fabric8.kubernetes.api.model.Container;
import io.github.pgreplication.harness.guide.CronJobPrerequisites;
import io.github.pgreplication.harness.lint.LintContext.At;
import io.github.pgreplication.harness.lint.LintContext.Workload;
import java.util.ArrayList;
import java.util.List;

/** The monitoring CronJob: what its pod needs to run at all. */
final class MonitoringRules {

    static final List<LintRule> RULES = List.of(new CronJobRunnable());

    private MonitoringRules() {
    }

    static final class CronJobRunnable extends LintRule {

        CronJobRunnable() {
            super("PGR017", "cronjob-runnable", Severity.ERROR,
                    "A CronJob must name a ServiceAccount that exists, hold the rights its commands need, and run an image "
                            + "that has those commands (a postgres image has psql, not kubectl).");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            List<At> out = new ArrayList<>();
            for (Workload w : ctx.workloads()) {
                if (w.resource().kind().equals("CronJob")) {
                    out.addAll(missingPrerequisites(ctx, w));
                    out.addAll(imagesWithoutKubectl(w));
                }
            }
            return out;
        }

        /** The ServiceAccount and the pods/exec rights the CronJob's scripts need and the manifests do not give. */
        private static List<At> missingPrerequisites(LintContext ctx, Workload w) {
            String scripts = String.join("\n", w.allContainers().stream().map(c -> String.join("\n", commandWords(c)))
                    .toList());
            return CronJobPrerequisites.missing(ctx.manifests(), w.template(), scripts).stream()
                    .map(missing -> w.at(missing.startsWith("ServiceAccount") ? "serviceAccountName"
                            : "containers[*].command", missing)).toList();
        }

        /** The containers whose script calls kubectl or oc on a postgres image, which has neither. */
        private static List<At> imagesWithoutKubectl(Workload w) {
            List<At> out = new ArrayList<>();
            for (Container c : w.allContainers()) {
                boolean callsKubectl = String.join("\n", commandWords(c)).matches("(?s).*\\b(kubectl|oc) (get|exec)\\b.*");
                boolean postgresImage = c.getImage() != null && c.getImage().matches("(.*/)?postgres(:.*)?");
                if (callsKubectl && postgresImage) {
                    out.add(w.at("containers[" + c.getName() + "].image", c.getImage()
                            + " has no kubectl/oc, which the script calls"));
                }
            }
            return out;
        }
    }
}
