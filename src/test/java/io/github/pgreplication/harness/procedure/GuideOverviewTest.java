package io.github.pgreplication.harness.procedure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.harness.guide.GuideDocument;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The guide's overview, as the harness reads it from the guide (no cluster needed). */
class GuideOverviewTest {

    private final GuideDocument guide = GuideDocument.load(Path.of("guide/postgresql-master-slave-openshift.fr.md"));

    @Test
    void theOverviewDrawsAReadWriteAndAReadOnlyService() {
        assertThat(GuideOverview.drawnServices(guide)).containsExactly(
                new GuideOverview.DrawnService("Service Master (RW)", "postgresql-master", true),
                new GuideOverview.DrawnService("Service Slave (RO)", "postgresql-slave", false));
    }
}
