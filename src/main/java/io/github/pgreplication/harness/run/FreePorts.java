package io.github.pgreplication.harness.run;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports picked at run time, for a process that binds one later (a server, an exporter): the harness
 * never uses a fixed port. A port is handed out once per JVM, so that two pairs stood up at the same time, by
 * scenarios running in parallel, never get the same one between the moment it is found free and the moment their
 * server binds it.
 * <p>
 * The ports are taken below the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}) and below the
 * NodePort range (30000): in the ephemeral range, between the moment a port is found free and the moment it is
 * bound, the kernel may give it to any outgoing connection as its source port, and Docker to a container's published
 * port (its allocator draws from that range); either makes the later bind fail with « Address already in use », as a
 * run's oc server once did. Nothing gives out a port below that range unasked. A socket the harness binds at once
 * needs none of this: it binds port 0.
 */
public final class FreePorts {

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final int LOWEST = 11000; // above the offline cluster's ports (k8s/offline/env.sh: 2379 to 10259)
    private static final int NODE_PORTS = 30000;
    private static final Path EPHEMERAL = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int HIGHEST = Math.max(LOWEST + 1000, Math.min(NODE_PORTS, ephemeralLow()) - 1);

    private FreePorts() {
    }

    public static int loopback() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST + 1);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (BindException inUse) {
                // someone else's: try another
            } catch (IOException e) {
                throw new IllegalStateException("cannot probe loopback port " + port, e);
            }
        }
        throw new IllegalStateException("no loopback port free between " + LOWEST + " and " + HIGHEST
                + " that this run has not handed out already, in 200 tries");
    }

    /** The first port of the kernel's ephemeral range; 32768 (Linux's default) where it cannot be read. */
    static int ephemeralLow() {
        try {
            // read as lines: Files.readString of this procfs file returns its first byte alone on this kernel
            String[] range = Files.readAllLines(EPHEMERAL).get(0).trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    /** The range ports are drawn from, for the tests. */
    static int[] range() {
        return new int[] {LOWEST, HIGHEST};
    }
}
