package io.github.pgreplication.harness.guide;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourcePlanTest {

    private final ResourcePlan replica = new ResourcePlan(Map.of("memory", "512Mi", "cpu", "250m"),
            Map.of("memory", "2Gi", "cpu", "1000m"));

    @Test
    void limitsAsDockerTakesThem() {
        assertThat(replica.memoryLimitBytes()).contains(2L * 1024 * 1024 * 1024);
        assertThat(replica.cpuLimitNanos()).contains(1_000_000_000L);
        assertThat(ResourcePlan.NONE.memoryLimitBytes()).isEmpty();
    }

    @Test
    void twoWaysOfWritingOneAmountCompareEqual() {
        ResourcePlan asTheApiWritesIt = new ResourcePlan(Map.of("memory", "512Mi", "cpu", "250m"), Map.of("memory", "2048Mi", "cpu", "1"));
        assertThat(asTheApiWritesIt.amounts()).isEqualTo(replica.amounts());
    }

    @Test
    void doubledIsEveryQuantityTwice() {
        Map<String, java.math.BigDecimal> doubled = replica.times(2).amounts();
        replica.amounts().forEach((k, v) -> assertThat(doubled.get(k)).as(k).isEqualByComparingTo(v.multiply(java.math.BigDecimal.valueOf(2))));
    }
}
