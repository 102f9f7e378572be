package io.github.pgreplication.harness.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PathMapTest {

    private final PathMap map = new PathMap();

    {
        map.map("/var/lib/postgresql/data", Path.of("/run/volumes/postgresql"));
        map.map("/var/lib/postgresql/archive", Path.of("/run/pods/master/fs/var/lib/postgresql/archive"));
        map.map("/etc/postgresql/master.conf", Path.of("/run/pods/master/fs/etc/postgresql/master.conf"));
    }

    @Test
    void rewritesPathsWhereTheyStandAsPaths() {
        assertThat(map.rewrite("archive_command = 'test ! -f /var/lib/postgresql/archive/%f && cp %p /var/lib/postgresql/archive/%f'"))
                .isEqualTo("archive_command = 'test ! -f /run/pods/master/fs/var/lib/postgresql/archive/%f && cp %p "
                        + "/run/pods/master/fs/var/lib/postgresql/archive/%f'");
        assertThat(map.rewrite("config_file=/etc/postgresql/master.conf")).isEqualTo("config_file=/run/pods/master/fs/etc/postgresql/master.conf");
        assertThat(map.rewrite("/var/lib/postgresql/data")).isEqualTo("/run/volumes/postgresql");
    }

    @Test
    void neverRewritesAHostPathTwiceNorAPathInsideAnother() {
        String once = map.rewrite("/var/lib/postgresql/archive");
        assertThat(map.rewrite(once)).isEqualTo(once);
        assertThat(map.rewrite("/var/lib/postgresql/database")).isEqualTo("/var/lib/postgresql/database");
    }

    @Test
    void resolvesFilesUnderAMappedDirectory() {
        assertThat(map.host("/var/lib/postgresql/data/PG_VERSION")).isEqualTo(Path.of("/run/volumes/postgresql/PG_VERSION"));
    }
}
