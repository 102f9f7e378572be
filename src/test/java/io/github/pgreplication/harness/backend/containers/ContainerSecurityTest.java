package io.github.pgreplication.harness.backend.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import io.github.pgreplication.harness.settings.HarnessSettings.ContainersSecurity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Docker settings each profile of harness.containers.security gives a container. */
class ContainerSecurityTest {

    private static final ContainerSecurity OPENSHIFT = ContainerSecurity.of(ContainersSecurity.OPENSHIFT);
    private static final ContainerSecurity IMAGE = ContainerSecurity.of(ContainersSecurity.IMAGE);

    @Test
    void openshiftRunsAsTheRangesFirstUidWithGroupZeroTheFsGroupAddedNoCapabilityAndNoNewPrivileges() {
        assertThat(OPENSHIFT.dockerRunFlags()).containsExactly("--user", "1000680000:0", "--group-add", "1000680000",
                "--cap-drop", "ALL", "--security-opt", "no-new-privileges");
        assertThat(OPENSHIFT.user()).contains("1000680000:0");

        HostConfig host = OPENSHIFT.applyTo(new HostConfig());
        assertThat(host.getGroupAdd()).containsExactly("1000680000");
        assertThat(host.getCapDrop()).containsExactly(Capability.ALL);
        assertThat(host.getCapAdd()).isNull();
        assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges");
        assertThat(host.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void openshiftMountsAClaimWithoutDockersCopyOfTheImagesDirectoryAndMakesItsRootAsADisks() {
        Bind claim = OPENSHIFT.claim("run-postgresql-data", "/var/lib/postgresql/data");
        assertThat(claim.getPath()).isEqualTo("run-postgresql-data");
        assertThat(claim.getVolume().getPath()).isEqualTo("/var/lib/postgresql/data");
        assertThat(claim.getNoCopy()).isTrue();
        assertThat(OPENSHIFT.provisionedClaims()).isTrue();
    }

    @Test
    void openshiftGivesAnEmptyDirAsAKubeletDoesForAPodWithAnFsGroup() {
        Mount m = OPENSHIFT.emptyDir("/var/run/archive", Map.of("run", "r1")).orElseThrow();
        assertThat(m.getType()).isEqualTo(MountType.VOLUME);
        assertThat(m.getTarget()).isEqualTo("/var/run/archive");
        assertThat(m.getSource()).as("anonymous: removed with its container").isNull();
        assertThat(m.getVolumeOptions().getNoCopy()).isTrue();
        assertThat(m.getVolumeOptions().getLabels()).containsEntry("run", "r1");
        assertThat(m.getVolumeOptions().getDriverConfig().getName()).isEqualTo("local");
        assertThat(m.getVolumeOptions().getDriverConfig().getOptions()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "type", "tmpfs", "device", "tmpfs", "o", "mode=2777,uid=0,gid=1000680000"));
    }

    @Test
    void imageKeepsTheImagesUserDockersDefaultsAndEmptyDirectories() {
        assertThat(IMAGE.dockerRunFlags()).isEmpty();
        assertThat(IMAGE.user()).isEmpty();
        HostConfig host = IMAGE.applyTo(new HostConfig());
        assertThat(host.getGroupAdd()).isNull();
        assertThat(host.getCapDrop()).isNull();
        assertThat(host.getSecurityOpts()).isNull();
        assertThat(IMAGE.claim("v", "/data").getNoCopy()).isNotEqualTo(Boolean.TRUE);
        assertThat(IMAGE.provisionedClaims()).isFalse();
        assertThat(IMAGE.emptyDir("/x", Map.of())).isEmpty();
    }

    @Test
    void theReportNamesTheProfileItsIdAndTheClaimsRootAndWhatStillDiffersFromACluster() {
        assertThat(OPENSHIFT.description()).contains("restricted-v2", "uid=1000680000 gid=0(root) groups=0(root),1000680000",
                "--cap-drop ALL", "no-new-privileges", "0:1000680000 2775", "lost+found");
        assertThat(OPENSHIFT.adaptation()).contains("no admission", "directory of the host's filesystem", "SELinux");
        assertThat(IMAGE.description()).contains("harness.containers.security=image");
        assertThat(List.of(OPENSHIFT.adaptation(), IMAGE.adaptation())).doesNotHaveDuplicates();
    }
}
