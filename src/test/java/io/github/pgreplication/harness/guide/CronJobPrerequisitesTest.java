package io.github.pgreplication.harness.guide;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The published CronJob lacks its ServiceAccount and the right to exec (erratum E06); the corrected one needs neither. */
class CronJobPrerequisitesTest {

    private static List<String> missing(String manifests) {
        ManifestSet set = ManifestSet.load(Path.of(manifests));
        CronJob job = (CronJob) set.ofKind("CronJob").get(0).resource();
        String script = String.join("\n", job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers()
                .get(0).getCommand());
        return CronJobPrerequisites.missing(set, job.getSpec().getJobTemplate().getSpec().getTemplate(), script);
    }

    @Test
    void thePublishedCronJobMissesItsServiceAccountAndTheRightToExec() {
        assertThat(missing("manifests/published")).containsExactly("ServiceAccount postgresql-monitor is not defined",
                "no Role or ClusterRole grants create on pods/exec");
    }

    @Test
    void theCorrectedCronJobNeedsNothingElse() {
        assertThat(missing("manifests/corrected")).isEmpty();
    }
}
