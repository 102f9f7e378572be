package io.github.pgreplication.harness.guide;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pairs side by side in the one namespace a tenant was given are made from their manifests with every object name
 * suffixed: every role found under its suffixed name, every mention of a name (a Service's host in a conninfo) following
 * it, paths and file names untouched, and no Service of one pair selecting another pair's pods.
 */
class ManifestRenamingTest {

    @TempDir
    Path dir;

    @Test
    void everyObjectNameAndEveryMentionOfItTakeThePairsSuffix() throws Exception {
        for (String profile : new String[] {"manifests/corrected", "manifests/published",
                "manifests/openshift-template/corrected", "manifests/openshift-template/published"}) {
            GuideModel model = GuideModel.load(Path.of(profile));
            Map<String, String> renames = ManifestRenaming.suffixed(model.manifests(), "-tab12c");
            GuideModel pair = ManifestRenaming.write(model, renames, dir.resolve(profile));
            assertThat(pair.manifests().resources()).as(profile).hasSameSizeAs(model.manifests().resources());
            pair.manifests().resources().forEach(r -> assertThat(r.name()).as(profile).endsWith("-tab12c"));
            model.names().all().forEach((role, name) -> assertThat(pair.names().get(role)).as(profile + ": " + role.meaning())
                    .isEqualTo(renames.getOrDefault(name, name)));
            Service replica = pair.replicaService();
            assertThat(replica.getSpec().getSelector().values()).as(profile + ": the replica Service selects by a renamed name")
                    .anyMatch(v -> v.endsWith("-tab12c"));
            for (LoadedResource r : pair.manifests().resources()) {
                assertThat(Files.readString(r.file())).as(profile + ": " + r.file()).doesNotContain("lib/postgresql-tab12c").doesNotContain("etc/postgresql-tab12c")
                        .doesNotContain("postgresql-tab12c.conf").doesNotContain("-tab12c-tab12c");
            }
        }
    }

    @Test
    void aLabelThatIsNoObjectNameIsSuffixedWhereItSelects() {
        Map<String, String> r = ManifestRenaming.suffixed(GuideModel.load(Path.of("manifests/corrected")).manifests(), "-tab12c");
        assertThat(r).containsEntry("role=slave", "role=slave-tab12c");
        assertThat(ManifestRenaming.rename("SLAVE_POD=$(oc get pods -l role=slave -o name)\n    role: slave\n"
                + "echo \"Configuration du slave\"", r)).isEqualTo("SLAVE_POD=$(oc get pods -l role=slave-tab12c -o name)\n"
                + "    role: slave-tab12c\necho \"Configuration du slave\"");
    }

    @Test
    void aNameIsATokenNeverAPathAFileOrALongerName() {
        Map<String, String> r = Map.of("postgresql", "postgresql-t1", "postgresql-slave", "postgresql-slave-t1");
        assertThat(ManifestRenaming.rename("host=postgresql port=5432 app: postgresql-slave /var/lib/postgresql "
                + "postgresql.conf postgresql.auto.conf postgresql-replication oc scale deployment/postgresql-slave --replicas=0 "
                + "/etc/postgresql-slave", r))
                .isEqualTo("host=postgresql-t1 port=5432 app: postgresql-slave-t1 /var/lib/postgresql postgresql.conf "
                        + "postgresql.auto.conf postgresql-replication oc scale deployment/postgresql-slave-t1 --replicas=0 "
                        + "/etc/postgresql-slave");
    }

    @Test
    void aUrisSchemeIsNoName() {
        // « Stratégie de répartition »'s URLs: the scheme postgresql is no Service, their host is
        Map<String, String> r = Map.of("postgresql", "postgresql-t1", "postgresql-slave", "postgresql-slave-t1");
        assertThat(ManifestRenaming.rename("DATABASE_URL_READ=\"postgresql://user:pass@postgresql-slave:5432/dbname\" "
                + "postgresql://user:pass@postgresql:5432/dbname", r))
                .isEqualTo("DATABASE_URL_READ=\"postgresql://user:pass@postgresql-slave-t1:5432/dbname\" "
                        + "postgresql://user:pass@postgresql-t1:5432/dbname");
    }
}
