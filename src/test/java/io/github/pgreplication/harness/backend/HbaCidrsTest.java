package io.github.pgreplication.harness.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HbaCidrsTest {

    @Test
    void replacesThePodNetworkOnHostLinesOnlyAndKeepsLoopback() {
        String hba = """
                local   all             all                                     trust
                host    all             all             127.0.0.1/32            md5
                host    all             all             10.128.0.0/14           md5
                # 10.0.0.0/8 in a comment stays
                host    replication     replicator      10.128.0.0/14           md5""";
        List<String> changes = new ArrayList<>();
        String out = HbaCidrs.replace(hba, "172.18.0.0/16", (from, to) -> changes.add(from + ">" + to));
        assertThat(out).contains("host    all             all             127.0.0.1/32            md5")
                .contains("host    all             all             172.18.0.0/16           md5")
                .contains("# 10.0.0.0/8 in a comment stays")
                .contains("host    replication     replicator      172.18.0.0/16           md5")
                .doesNotContain("10.128.0.0/14");
        assertThat(changes).containsExactly("10.128.0.0/14>172.18.0.0/16", "10.128.0.0/14>172.18.0.0/16");
    }
}
