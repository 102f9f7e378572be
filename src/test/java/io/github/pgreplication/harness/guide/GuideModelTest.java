package io.github.pgreplication.harness.guide;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GuideModelTest {

    @Test
    void probe() {
        GuideModel model = GuideModel.load(Path.of("manifests/published"));
        var dc = model.masterDeploymentConfig();
        System.out.println(dc.resource().getClass() + " " + dc.ref());
        var vol = model.replicaTemplate().getSpec().getVolumes().get(1);
        System.out.println("defaultMode=" + vol.getConfigMap().getDefaultMode());
        System.out.println(model.masterTemplateBeforeGuide().getSpec().getContainers().get(0).getArgs());
        model.manifests().resources().forEach(r -> System.out.println(r.ref() + " " + r.resource().getClass().getSimpleName()));
    }
}
