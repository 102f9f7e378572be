package io.github.pgreplication.harness.procedure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.MountPlan;
import io.github.pgreplication.harness.guide.MountSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A plan with one variable or one file changed, and nothing else. */
class ContainerPlansTest {

    private static final MountSource.ConfigMapFiles SCRIPTS = new MountSource.ConfigMapFiles("postgresql-slave-config",
            Map.of("setup-slave.sh", "#!/bin/bash\necho published\n", "slave.conf", "hot_standby = on\n"), 0755, false);

    private static ContainerPlan plan() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MASTER_SERVICE", "postgresql");
        env.put("POSTGRESQL_ADMIN_PASSWORD", "deployed");
        return new ContainerPlan("postgresql-slave", "setup-slave", "postgres:15", List.of("/bin/bash"),
                List.of("/scripts/setup-slave.sh"), env,
                List.of(new MountPlan("/var/lib/postgresql/data", "data", new MountSource.Claim("postgresql-slave")),
                        new MountPlan("/scripts", "scripts", SCRIPTS)),
                Optional.empty(), Optional.empty(), Map.of("app", "postgresql"), "postgresql-slave-deployment.yaml");
    }

    @Test
    void oneVariableIsSetTheOthersAndTheOriginalPlanAreUntouched() {
        ContainerPlan p = plan();
        ContainerPlan changed = ContainerPlans.withEnv(p, "POSTGRESQL_ADMIN_PASSWORD", "wrong");
        assertThat(changed.env()).containsExactly(Map.entry("MASTER_SERVICE", "postgresql"),
                Map.entry("POSTGRESQL_ADMIN_PASSWORD", "wrong"));
        assertThat(p.env()).containsEntry("POSTGRESQL_ADMIN_PASSWORD", "deployed");
        assertThat(ContainerPlans.withEnv(p, "NEW", "x").env()).containsEntry("NEW", "x").hasSize(3);
        assertThat(changed).usingRecursiveComparison().ignoringFields("env").isEqualTo(p);
    }

    @Test
    void oneFileOfAConfigMapMountIsReplacedItsOtherFilesAndMountsKept() {
        ContainerPlan changed = ContainerPlans.withFile(plan(), "setup-slave.sh", "#!/bin/bash\necho corrected\n");
        MountSource.ConfigMapFiles scripts = (MountSource.ConfigMapFiles) changed.mountAt("/scripts").orElseThrow().source();
        assertThat(scripts.files()).containsEntry("setup-slave.sh", "#!/bin/bash\necho corrected\n")
                .containsEntry("slave.conf", "hot_standby = on\n");
        assertThat(scripts.configMap()).isEqualTo("postgresql-slave-config");
        assertThat(scripts.mode()).isEqualTo(0755);
        assertThat(changed.mounts().get(0)).isEqualTo(plan().mounts().get(0));
        assertThat(SCRIPTS.files()).containsEntry("setup-slave.sh", "#!/bin/bash\necho published\n");
    }

    @Test
    void aFileNoConfigMapMountShowsIsRefusedNamingIt() {
        assertThatThrownBy(() -> ContainerPlans.withFile(plan(), "init-master.sh", "x"))
                .isInstanceOf(AssertionError.class)
                .hasMessage("postgresql-slave-deployment.yaml: no ConfigMap mount of setup-slave shows init-master.sh");
    }
}
