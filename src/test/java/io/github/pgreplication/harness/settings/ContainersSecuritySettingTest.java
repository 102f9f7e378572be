package io.github.pgreplication.harness.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.harness.settings.HarnessSettings.ContainersSecurity;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** harness.containers.security: openshift unless told otherwise, image on request, nothing else. */
class ContainersSecuritySettingTest {

    private static final String PROPERTY = "harness.containers.security";
    private final HarnessSettings settings = new HarnessSettings(Path.of(""));

    @AfterEach
    void clear() {
        System.clearProperty(PROPERTY);
    }

    @Test
    void openshiftByDefault() {
        Assumptions.assumeTrue(System.getenv("HARNESS_CONTAINERS_SECURITY") == null, "the environment sets it");
        assertThat(settings.containersSecurity()).isEqualTo(ContainersSecurity.OPENSHIFT);
    }

    @Test
    void imageOnRequestInAnyCase() {
        System.setProperty(PROPERTY, "Image");
        assertThat(settings.containersSecurity()).isEqualTo(ContainersSecurity.IMAGE);
    }

    @Test
    void anythingElseIsRefusedWithTheValuesAllowed() {
        System.setProperty(PROPERTY, "restricted");
        assertThatThrownBy(settings::containersSecurity).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openshift or image").hasMessageContaining("restricted");
    }
}
