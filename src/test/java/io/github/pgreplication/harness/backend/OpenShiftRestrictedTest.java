package io.github.pgreplication.harness.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The constants are the offline cluster's policy's: the containers backend and the cluster run pods alike. */
class OpenShiftRestrictedTest {

    @Test
    void theUidAndFsGroupAreTheFirstOfTheOfflineClustersRange() throws IOException {
        String env = Files.readString(Path.of("k8s/offline/env.sh"));
        assertThat(env).containsPattern("(?m)^PSP_UID_MIN=" + OpenShiftRestricted.UID + "\\b");
        assertThat(OpenShiftRestricted.FS_GROUP).isEqualTo(OpenShiftRestricted.UID);
        assertThat(OpenShiftRestricted.GID).isZero();
    }

    @Test
    void idSaysWhatIdPrintedInAPodOfTheRestrictedProfile() {
        // k8s/offline/RESTRICTED.md, check-restricted.sh: « id: uid=1000680000 gid=0(root) groups=0(root),1000680000 »
        assertThat(OpenShiftRestricted.ID).isEqualTo("uid=1000680000 gid=0(root) groups=0(root),1000680000");
    }
}
