package io.github.pgreplication.harness.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Erratum E11's correction for 12 made to master.conf as the corrected manifests write it. */
class ConfigChangeTest {

    private static final String MASTER_CONF = """
            wal_level = replica
            wal_keep_size = 1GB                    # Rétention des WAL (ajuster selon le besoin)
            max_slot_wal_keep_size = 5GB
            hot_standby = on
            """;

    private static final List<ConfigChange> E11 = List.of(ConfigChange.replaced("wal_keep_size", "wal_keep_segments = 64"),
            ConfigChange.removed("max_slot_wal_keep_size"));

    @Test
    void aParametersLineIsReplacedOrRemovedAndNoOtherLineChanges() {
        assertThat(ConfigChange.applyAll(E11, MASTER_CONF)).isEqualTo("""
                wal_level = replica
                wal_keep_segments = 64

                hot_standby = on
                """);
    }

    @Test
    void aParameterWhoseNameEndsAnotherIsNotTouched() {
        // max_slot_wal_keep_size ends with wal_keep_size: only the line that sets wal_keep_size itself is replaced
        assertThat(ConfigChange.replaced("wal_keep_size", "x = 1").applyTo("max_slot_wal_keep_size = 5GB\n"))
                .isEqualTo("max_slot_wal_keep_size = 5GB\n");
        assertThat(ConfigChange.replaced("wal_keep_size", "x = 1").setIn("max_slot_wal_keep_size = 5GB\n")).isFalse();
    }

    @Test
    void aReplacementPutsInTheParameterItsLineSets() {
        assertThat(E11.get(0).parameterPutIn()).hasValue("wal_keep_segments");
        assertThat(E11.get(1).parameterPutIn()).isEmpty();
    }

    @Test
    void eachChangeIsSaidAsE11sCorrectionSaysIt() {
        assertThat(E11.stream().map(ConfigChange::asACorrectionSaysIt))
                .containsExactly("wal_keep_segments = 64 instead of wal_keep_size", "no max_slot_wal_keep_size");
    }

    @Test
    void theChangesAreNamedAsTheReportPrintsThem() {
        assertThat(ConfigChange.describe(E11)).isEqualTo("`wal_keep_segments = 64` for wal_keep_size, no max_slot_wal_keep_size");
        assertThat(ConfigChange.describe(List.of())).isEmpty();
    }
}
