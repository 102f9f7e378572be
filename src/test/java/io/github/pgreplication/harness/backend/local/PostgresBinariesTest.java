package io.github.pgreplication.harness.backend.local;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresBinariesTest {

    @Test
    void missingBinariesSayWhatToInstall(@TempDir Path empty) {
        assertThatThrownBy(() -> PostgresBinaries.find(Optional.of(empty)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No complete PostgreSQL binaries found")
                .hasMessageContaining("apt-get install postgresql-15")
                .hasMessageContaining("lacks [initdb, postgres, psql, pg_basebackup, pg_isready]");
    }
}
