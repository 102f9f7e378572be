package io.github.pgreplication.harness.backend;

import io.github.pgreplication.harness.run.OsUser;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.run.RunDirectory;
import java.nio.file.Path;

/**
 * A claim's data copied while no pod mounted it, as a volume snapshot holds it: kept in a directory of its own
 * until the run ends, beside the claims (the same filesystem), so that another pair's claim can be made from it.
 * {@code origin} is where the copied claim was: a server's settings name it where the claim is a host directory.
 */
public record ClaimCopy(String claimName, Path origin, Path data) {

    /** Copies {@code claimDir} (modes and owners kept) into a directory of the run's, deleted when the run ends. */
    public static ClaimCopy of(String claimName, Path claimDir, Path parent, OsUser owner, ResourceManager runResources) {
        RunDirectory dir = runResources.track("copy of claim " + claimName, RunDirectory.create(parent, owner));
        Path data = dir.root().resolve("data");
        RunDirectory.copyTree(claimDir, data);
        return new ClaimCopy(claimName, claimDir, data);
    }

    /** Fills a new claim's directory with this copy. */
    public void into(Path claimDir) {
        RunDirectory.copyTree(data, claimDir);
    }
}
