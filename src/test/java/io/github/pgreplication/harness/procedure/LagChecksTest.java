package io.github.pgreplication.harness.procedure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.harness.procedure.LagChecks.PodTop;
import org.junit.jupiter.api.Test;

class LagChecksTest {

    @Test
    void ocTopPodsRowsAreReadWithTheirCpuAndMemory() {
        String printed = """
                NAME                                CPU(cores)   MEMORY(bytes)  \s
                postgresql-slave-7d9c6b8f4b-x2x9q   3m           41Mi           \s
                """;
        assertThat(PodTop.parse(printed)).containsExactly(new PodTop("postgresql-slave-7d9c6b8f4b-x2x9q", 3, 41));
    }

    @Test
    void anErrorOfOcTopIsNoRow() {
        assertThat(PodTop.parse("error: metrics not available yet\n")).isEmpty();
        assertThat(PodTop.parse("Error from server (NotFound): podmetrics.metrics.k8s.io \"x\" not found\n")).isEmpty();
    }
}
