package io.github.pgreplication.harness.backend.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.harness.settings.HarnessSettings.ContainersSecurity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A claim's root as a provisioned disk's: on the host, and by the script a container runs where the host cannot. */
class ClaimRootsTest {

    @TempDir
    Path tmp;

    @Test
    void aHostDirectoryIsMadeRootsAndTheFsGroupsSetgidHoldingLostAndFound() throws IOException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "changing owners needs root");
        Path claim = tmp.resolve("volumes/postgresql-data");

        ClaimRoots.layOut(claim);

        assertThat(owner(claim)).isEqualTo("0:1000680000 2775");
        try (Stream<Path> entries = Files.list(claim)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("lost+found");
        }
        assertThat(owner(claim.resolve("lost+found"))).isEqualTo("0:1000680000 2770");
    }

    @Test
    void laidOutAgainOnAClaimThatHasItAlreadyNothingChanges() throws IOException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "changing owners needs root");
        Path claim = tmp.resolve("c");
        ClaimRoots.layOut(claim);
        ClaimRoots.layOut(claim);
        assertThat(owner(claim)).isEqualTo("0:1000680000 2775");
        assertThat(owner(claim.resolve("lost+found"))).isEqualTo("0:1000680000 2770");
    }

    @Test
    void aContainerMakesTheSameRootWithTheseLines() {
        assertThat(ClaimRoots.script("/claim")).isEqualTo("set -e; chown 0:1000680000 /claim; chmod 2775 /claim; "
                + "mkdir -p /claim/lost+found; chown 0:1000680000 /claim/lost+found; chmod 2770 /claim/lost+found");
    }

    @Test
    void whereTheHostCannotTheRootIsLeftToAContainerBeforeTheFirstPodMountsTheClaim() {
        ClaimRoots roots = new ClaimRoots(ContainerSecurity.of(ContainersSecurity.OPENSHIFT), Map.of());
        roots.created("run-a", Optional.empty());
        assertThat(roots.isPending("run-a")).isTrue();
        roots.removed("run-a");
        assertThat(roots.isPending("run-a")).isFalse();
    }

    @Test
    void underTheImageProfileAClaimStaysAnEmptyDirectory() throws IOException {
        ClaimRoots roots = new ClaimRoots(ContainerSecurity.of(ContainersSecurity.IMAGE), Map.of());
        Path claim = Files.createDirectories(tmp.resolve("empty"));
        roots.created("run-b", Optional.of(claim));
        roots.created("run-c", Optional.empty());
        assertThat(roots.isPending("run-b")).isFalse();
        assertThat(roots.isPending("run-c")).isFalse();
        try (Stream<Path> entries = Files.list(claim)) {
            assertThat(entries.toList()).isEqualTo(List.of());
        }
    }

    private static String owner(Path p) throws IOException {
        return Files.getAttribute(p, "unix:uid") + ":" + Files.getAttribute(p, "unix:gid") + " "
                + Integer.toOctalString((Integer) Files.getAttribute(p, "unix:mode") & 07777);
    }
}
