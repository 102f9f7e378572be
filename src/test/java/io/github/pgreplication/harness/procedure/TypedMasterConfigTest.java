package io.github.pgreplication.harness.procedure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.harness.run.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Étape 1.5's {@code oc get pods -w} as the harness bounds it ({@link TypedMasterConfig#untilTheNewPod}), against an
 * {@code oc} that prints a watch's lines and then stays open as a watch does: it ends on the config's new pod Ready or
 * failed (never on the older pod, another config's or a deployer pod), with 0, and leaves no watch running; with 1 when
 * the watch ended without one.
 */
class TypedMasterConfigTest {

    private record Run(int exit, String out, long watchPid) {
    }

    private static Run watch(Path dir, boolean staysOpen, String... lines) throws Exception {
        Files.write(dir.resolve("lines"), List.of(lines));
        Path oc = dir.resolve("oc");
        Files.writeString(oc, "#!/bin/bash\necho $$ > '" + dir.resolve("pid") + "'\ncat '" + dir.resolve("lines") + "'\n"
                + (staysOpen ? "exec tail -f /dev/null\n" : ""));
        Files.setPosixFilePermissions(oc, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder b = new ProcessBuilder("bash", "-c", TypedMasterConfig.untilTheNewPod("oc get pods -w", "postgresql",
                "postgresql-1-abcde", 60)).redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile());
        b.environment().put("PATH", dir + ":" + System.getenv("PATH"));
        Process p = b.start();
        assertThat(p.waitFor(50, TimeUnit.SECONDS)).as("the bounded watch ended").isTrue();
        return new Run(p.exitValue(), Files.readString(dir.resolve("out")), Long.parseLong(read(dir.resolve("pid"))));
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p).strip();
    }

    @Test
    void endsOnTheNewVersionsPodReadyAndStopsTheWatch(@TempDir Path dir) throws Exception {
        Run r = watch(dir, true,
                "NAME                 READY   STATUS    RESTARTS   AGE",
                "postgresql-1-abcde   1/1     Running   0          6s",
                "postgresql-slave-7d4b9c-x2x9z   1/1     Running   0          6s",
                "postgresql-2-deploy  1/1     Running   0          1s",
                "postgresql-1-abcde   1/1     Terminating   0          7s",
                "postgresql-2-76n99   0/1     Running   0          2s",
                "postgresql-2-76n99   1/1     Running   0          4s",
                "not printed: the watch was stopped");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).endsWith("postgresql-2-76n99   1/1     Running   0          4s\n").doesNotContain("not printed");
        // the kill is a signal: the process is gone once the kernel has ended it, an instant after the block returns
        new Waits(1).until("the watch's process " + r.watchPid() + " gone", Duration.ofSeconds(10), Duration.ofMillis(20),
                () -> ProcessHandle.of(r.watchPid()).filter(ProcessHandle::isAlive).isEmpty(),
                () -> ProcessHandle.of(r.watchPid()).map(h -> "alive: " + h.info()).orElse("gone"));
    }

    @Test
    void endsOnTheNewVersionsPodFailing(@TempDir Path dir) throws Exception {
        Run r = watch(dir, true,
                "postgresql-1-abcde   1/1     Running   0          6s",
                "postgresql-2-76n99   0/1     ContainerCreating   0          0s",
                "postgresql-2-76n99   0/1     Error               0          1s");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).endsWith("Error               0          1s\n");
    }

    @Test
    void saysSoWhenTheWatchEndedWithoutTheNewPod(@TempDir Path dir) throws Exception {
        Run r = watch(dir, false,
                "postgresql-1-abcde   1/1     Running   0          6s",
                "postgresql-2-76n99   0/1     Pending   0          0s");
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("postgresql-2-76n99   0/1     Pending");
    }
}
