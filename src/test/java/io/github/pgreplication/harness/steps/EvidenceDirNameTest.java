package io.github.pgreplication.harness.steps;

import io.github.pgreplication.harness.backend.EvidenceFiles;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A failed scenario's evidence directory: its name as a slug, then 8 characters of its id, one per scenario run. */
class EvidenceDirNameTest {

    @Test
    void theScenariosNameAsASlugAndEightCharactersOfItsId() {
        assertThat(EvidenceFiles.dirName("Test 2 — an INSERT on the replica is refused", "0a1b2c3d-4e5f-6789-abcd-ef0123456789"))
                .isEqualTo("test-2-an-insert-on-the-replica-is-refused-0a1b2c3d");
        assertThat(EvidenceFiles.dirName("Étape 1.1 : pg_dumpall", "ff")).isEqualTo("etape-1-1-pg-dumpall-ff");
        assertThat(EvidenceFiles.dirName("x".repeat(100), "12345678-9")).hasSize(69).endsWith("-12345678");
        assertThat(EvidenceFiles.dirName("— «»", "ab/../cd")).isEqualTo("scenario-abcd");
    }
}
