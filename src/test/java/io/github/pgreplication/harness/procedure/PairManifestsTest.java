package io.github.pgreplication.harness.procedure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.guide.GuideModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where pairs share a namespace, what only the guide's commands name takes the pair's suffix, as its objects do. */
class PairManifestsTest {

    @TempDir
    Path dir;

    @Test
    void theObjectsOnlyTheGuidesCommandsNameTakeThePairsSuffix() {
        GuideDocument guide = GuideDocument.load(Path.of("guide/postgresql-master-slave-openshift.fr.md"));
        assertThat(PairManifests.commandObjects(guide)).containsExactly("postgresql-test", "mon-application");
        GuideModel model = GuideModel.load(Path.of("manifests/corrected"));
        PairManifests m = PairManifests.suffixed(model, model, model.names(), "-t1", dir, PairManifests.commandObjects(guide));
        assertThat(m.inPairNames("oc run postgresql-test --image=postgres:15 --rm -it --restart=Never -- bash"))
                .isEqualTo("oc run postgresql-test-t1 --image=postgres:15 --rm -it --restart=Never -- bash");
        assertThat(m.inPairNames("oc set env deployment/mon-application \\\n  DATABASE_URL_READ=\"postgresql://user:pass@"
                + "postgresql-slave:5432/dbname\"")).isEqualTo("oc set env deployment/mon-application-t1 \\\n"
                + "  DATABASE_URL_READ=\"postgresql://user:pass@postgresql-slave-t1:5432/dbname\"");
    }
}
