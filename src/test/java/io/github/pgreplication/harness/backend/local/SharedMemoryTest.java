package io.github.pgreplication.harness.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a killed server's processes mapped, read from their /proc/PID/maps lines as PostgreSQL 15 makes them here. */
class SharedMemoryTest {

    @Test
    void theSystemVSegmentIsItsInodeAndTheDynamicSharedMemoryItsFileUnderDevShm() {
        List<String> maps = List.of(
                "55d0c1a2b000-55d0c1a8e000 r--p 00000000 fe:01 2098123                    /usr/lib/postgresql/15/bin/postgres",
                "7f3b2c000000-7f3b2c8f4000 rw-s 00000000 00:01 5123                       /dev/zero (deleted)",
                "7f3b2d3e2000-7f3b2d3e3000 rw-s 00000000 00:01 10846213                   /SYSV011256cb (deleted)",
                "7f3b2d3f0000-7f3b2d4f0000 rw-s 00000000 00:1a 4711                       /dev/shm/PostgreSQL.1032113364",
                "7f3b2d500000-7f3b2d507000 rw-s 00000000 00:1a 4712                       /dev/shm/PostgreSQL.184613300 (deleted)",
                "7f3b2d600000-7f3b2d601000 rw-s 00000000 00:1a 4713                       /dev/shm/pgrh-20261206/x",
                "7ffd5a1c0000-7ffd5a1e1000 rw-p 00000000 00:00 0                          [stack]",
                "7f3b2d700000-7f3b2d701000 rw-p 00000000 00:00 0 ");

        SharedMemory.Held held = SharedMemory.parse(maps);

        assertThat(held.systemV()).containsExactly(10846213L);
        assertThat(held.posix()).containsExactlyInAnyOrder(Path.of("/dev/shm/PostgreSQL.1032113364"),
                Path.of("/dev/shm/PostgreSQL.184613300"));
        assertThat(SharedMemory.parse(List.of("7ffd5a1c0000-7ffd5a1e1000 rw-p 00000000 00:00 0 [stack]")).isEmpty()).isTrue();
    }
}
