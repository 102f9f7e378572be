package io.github.pgreplication.harness.guide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Étape 1.5's four modifications, as the guide's manifests write them: what they are, the reader's edit of a saved
 * config with them, and the check of what of them a config holds, which fails on a config without them.
 */
class MasterUpdateTest {

    private static final MasterUpdate UPDATE = GuideModel.load(Path.of("manifests/published")).masterUpdate();

    /** A DeploymentConfig as `oc get dc/postgresql -o yaml` saves it before the guide (the harness's pod template). */
    private static Map<String, Object> saved() {
        return ManifestSet.convert(ManifestSet.SERIALIZATION.unmarshal("""
                apiVersion: apps.openshift.io/v1
                kind: DeploymentConfig
                metadata:
                  name: postgresql
                  resourceVersion: "4711"
                spec:
                  replicas: 1
                  template:
                    metadata:
                      labels:
                        name: postgresql
                    spec:
                      containers:
                      - name: postgresql
                        image: pg-replication-harness/postgres:15
                        envFrom:
                        - secretRef:
                            name: postgresql-env-1
                        volumeMounts:
                        - name: postgresql-data
                          mountPath: /var/lib/postgresql/data
                      volumes:
                      - name: postgresql-data
                        persistentVolumeClaim:
                          claimName: postgresql
                status:
                  latestVersion: 1
                """, Map.class), Map.class);
    }

    @Test
    void theFourModificationsAreTheGuides() {
        assertThat(UPDATE.container()).isEqualTo("postgresql");
        assertThat(UPDATE.volumes()).extracting(v -> v.getName()).containsExactly("master-config", "master-init", "archive");
        assertThat(UPDATE.mounts()).extracting(m -> m.getMountPath()).containsExactly("/etc/postgresql/master.conf",
                "/etc/postgresql/pg_hba.conf", "/docker-entrypoint-initdb.d/init-master.sh", "/var/lib/postgresql/archive");
        assertThat(UPDATE.env()).extracting(e -> e.getName()).containsExactly("REPLICATION_PASSWORD", "POSTGRESQL_ADMIN_PASSWORD");
        assertThat(UPDATE.args()).containsExactly("-c", "config_file=/etc/postgresql/master.conf", "-c",
                "hba_file=/etc/postgresql/pg_hba.conf");
    }

    @Test
    void theEditAddsThemAfterWhatTheConfigHasAndKeepsTheRest() {
        Map<String, Object> saved = saved();
        Map<String, Object> edited = UPDATE.mergedInto(saved);
        assertThat(UPDATE.missingFrom(edited)).isEmpty();
        assertThat(saved).as("the saved config, left unchanged").isEqualTo(saved());
        String yaml = ManifestSet.SERIALIZATION.asYaml(edited);
        assertThat(yaml).contains("resourceVersion: \"4711\"", "latestVersion: 1", "claimName: \"postgresql\"",
                "name: \"postgresql-env-1\"", "defaultMode: 493", "key: \"replication-password\"");
        assertThat(yaml.indexOf("name: \"postgresql-data\"")).isPositive().isLessThan(yaml.indexOf("name: \"master-config\""));
    }

    @Test
    void theCheckNamesWhatAConfigWithoutThemLacks() {
        assertThat(UPDATE.missingFrom(saved())).containsExactly("the volume master-config", "the volume master-init",
                "the volume archive", "the mount /etc/postgresql/master.conf", "the mount /etc/postgresql/pg_hba.conf",
                "the mount /docker-entrypoint-initdb.d/init-master.sh", "the mount /var/lib/postgresql/archive",
                "the env variable REPLICATION_PASSWORD", "the env variable POSTGRESQL_ADMIN_PASSWORD",
                "the args [-c, config_file=/etc/postgresql/master.conf, -c, hba_file=/etc/postgresql/pg_hba.conf] (holds [])");
    }

    @Test
    void aConfigWithoutTheContainerCannotBeEdited() {
        Map<String, Object> saved = saved();
        @SuppressWarnings("unchecked")
        var containers = (List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                saved.get("spec")).get("template")).get("spec")).get("containers");
        containers.get(0).put("name", "db");
        assertThatThrownBy(() -> UPDATE.mergedInto(saved)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no container named postgresql");
    }
}
