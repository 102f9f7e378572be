package io.github.pgreplication.harness.procedure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TypedBackupTest {

    @Test
    void countsTheRowsOfEachCopyUpToItsEnd() {
        String dump = """
                COPY public.existing_orders (id, customer, amount, created_at) FROM stdin;
                1\tcustomer-1\t0.70\t2026-01-01 00:00:00+00
                2\tcustomer-2\t1.40\t2026-01-01 00:00:00+00
                \\.

                COPY public.empty (id) FROM stdin;
                \\.

                """;
        assertThat(TypedBackup.rows(dump)).isEqualTo(Map.of("public.existing_orders", 2L, "public.empty", 0L));
    }

    @Test
    void aCopyCutShortIsAnError() {
        assertThatThrownBy(() -> TypedBackup.rows("COPY public.t (id) FROM stdin;\n1\n2\n"))
                .hasMessageContaining("public.t").hasMessageContaining("no end");
    }
}
