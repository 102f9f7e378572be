package io.github.pgreplication.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    /**
     * Below the kernel's ephemeral range and the NodePorts, where neither an outgoing connection nor Docker's
     * allocator takes a port between its pick and its bind; each handed out once, and each bindable when handed out.
     */
    @Test
    void portsAreBelowTheEphemeralRangeHandedOutOnceAndFree() throws IOException {
        int[] range = FreePorts.range();
        assertThat(range[1]).isLessThan(Math.min(30000, FreePorts.ephemeralLow()));
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = FreePorts.loopback();
            assertThat(port).isBetween(range[0], range[1]);
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(s.getLocalPort()).isEqualTo(port);
            }
        }
    }

    /** A port someone holds is never handed out. */
    @Test
    void aPortInUseIsSkipped() throws IOException {
        int[] range = FreePorts.range();
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 50; i++) {
                assertThat(FreePorts.loopback()).isNotEqualTo(held.getLocalPort()).isBetween(range[0], range[1]);
            }
        }
    }
}
