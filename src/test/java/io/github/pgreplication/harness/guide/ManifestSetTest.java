package io.github.pgreplication.harness.guide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets an error naming the file, the resource, the key and what was expected. */
class ManifestSetTest {

    @TempDir
    Path dir;

    @Test
    void loadsThePublishedGuideIntoTypedAndGenericResources() {
        GuideModel model = GuideModel.load(Path.of("manifests/published"));
        assertThat(model.masterDeploymentConfig().ref()).isEqualTo("DeploymentConfig/postgresql");
        assertThat(model.masterServiceName()).isEqualTo("postgresql");
        assertThat(model.manifests().find("PrometheusRule", "postgresql-replication-alerts")).isPresent();
        // YAML 1.1 octal, as Kubernetes reads it: 0755, not 755.
        assertThat(model.replicaTemplate().getSpec().getVolumes().get(1).getConfigMap().getDefaultMode()).isEqualTo(0755);
    }

    @Test
    void thePreGuideMasterIsTheDeploymentConfigWithoutStep15sAdditions() {
        GuideModel model = GuideModel.load(Path.of("manifests/published"));
        var before = model.masterTemplateBeforeGuide().getSpec();
        assertThat(before.getContainers().get(0).getArgs()).isEmpty();
        assertThat(before.getVolumes()).extracting("name").containsExactly("postgresql-data");
        assertThat(before.getContainers().get(0).getEnv()).extracting("name")
                .containsExactly("PGDATA", "POSTGRES_USER", "POSTGRES_PASSWORD");
        assertThat(model.masterTemplate().getSpec().getContainers().get(0).getArgs()).containsExactly(
                "-c", "config_file=/etc/postgresql/master.conf", "-c", "hba_file=/etc/postgresql/pg_hba.conf");
    }

    @Test
    void malformedYamlNamesTheFileTheDocumentAndTheLine() throws IOException {
        copyPublished();
        Files.writeString(dir.resolve("postgresql-slave-pvc.yaml"), "# a team's claim\n---\napiVersion: v1\n"
                + "kind: PersistentVolumeClaim\nmetadata:\n  name: x\n spec: [unclosed\n");
        assertThatThrownBy(() -> ManifestSet.load(dir)).isInstanceOf(ManifestException.class)
                .hasMessageContaining("postgresql-slave-pvc.yaml").hasMessageContaining("document at line 3")
                .hasMessageContaining("malformed YAML").hasMessageContaining("at line 7, column 2: expected <block end>");
    }

    @Test
    void aMissingResourceIsNamed() throws IOException {
        copyPublished();
        Files.delete(dir.resolve("postgresql-slave-config.yaml"));
        assertThatThrownBy(() -> GuideModel.load(dir)).isInstanceOf(ManifestException.class)
                .hasMessageContaining("ConfigMap/postgresql-slave-config").hasMessageContaining("missing resource");
    }

    @Test
    void aMissingConfigMapKeyBehindASubPathIsNamed() throws IOException {
        copyPublished();
        replace("postgresql-master-config.yaml", "  pg_hba.conf: |", "  hba.conf: |");
        GuideModel model = GuideModel.load(dir);
        RunSecrets secrets = new RunSecrets(model.manifests());
        var tpl = model.masterTemplate();
        assertThatThrownBy(() -> model.plan("postgresql", model.masterDeploymentConfig(), tpl,
                tpl.getSpec().getContainers().get(0), secrets)).isInstanceOf(ManifestException.class)
                .hasMessageContaining("postgresql-master-deploymentconfig.yaml")
                .hasMessageContaining("DeploymentConfig/postgresql container postgresql")
                .hasMessageContaining("key 'volumeMounts.master-config.subPath'")
                .hasMessageContaining("ConfigMap 'postgresql-master-config' has no key 'pg_hba.conf' (it has [hba.conf, master.conf])");
    }

    @Test
    void aSecretKeyRefToAnAbsentKeyIsNamed() throws IOException {
        copyPublished();
        replace("postgresql-replication-secret.yaml", "  replication-password:", "  replication-passwd:");
        GuideModel model = GuideModel.load(dir);
        RunSecrets secrets = new RunSecrets(model.manifests());
        var tpl = model.replicaTemplate();
        assertThatThrownBy(() -> model.plan("postgresql-slave", model.replicaDeployment(), tpl,
                model.replicaInitContainer(), secrets)).isInstanceOf(ManifestException.class)
                .hasMessageContaining("postgresql-slave-deployment.yaml")
                .hasMessageContaining("key 'env.REPLICATION_PASSWORD.valueFrom.secretKeyRef'")
                .hasMessageContaining("Secret/postgresql-replication, key 'replication-password': secretKeyRef to an absent key "
                        + "(the Secret has [replication-passwd, replication-user])");
    }

    @Test
    void aMissingDirectoryIsAClearError() {
        assertThatThrownBy(() -> ManifestSet.load(dir.resolve("nope"))).isInstanceOf(ManifestException.class)
                .hasMessageContaining("no such manifests directory");
    }

    @Test
    void placeholdersBecomeStrongPerRunPasswords() {
        RunSecrets a = new RunSecrets(ManifestSet.load(Path.of("manifests/published")));
        RunSecrets b = new RunSecrets(ManifestSet.load(Path.of("manifests/published")));
        String pw = a.value("postgresql-replication", "replication-password");
        assertThat(pw).hasSize(32).matches("[A-Za-z0-9]+").isNotEqualTo(b.value("postgresql-replication", "replication-password"));
        assertThat(a.value("postgresql-replication", "replication-user")).isEqualTo("replicator");
        assertThat(a.adaptations()).hasSize(2).noneMatch(s -> s.contains(pw));
    }

    private void copyPublished() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("manifests/published"))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private void replace(String file, String from, String to) throws IOException {
        Path p = dir.resolve(file);
        String s = Files.readString(p);
        assertThat(s).contains(from);
        Files.writeString(p, s.replace(from, to));
    }
}
