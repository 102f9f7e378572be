package io.github.pgreplication.harness.bench;

import io.github.pgreplication.harness.compat.ConfigBoot;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.run.FreePorts;
import io.github.pgreplication.harness.run.OsUser;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.nio.file.Path;

/**
 * For bench/startup.sh: writes the guide's master.conf, pg_hba.conf and slave.conf of the manifests under test into
 * a directory, as DeploymentBenchmarkIT does for bench/guide-by-hand.sh, and prints two free loopback ports.
 * Usage: ByHandConfigs CONF_DIR ARCHIVE_DIR
 */
public final class ByHandConfigs {

    private ByHandConfigs() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ByHandConfigs CONF_DIR ARCHIVE_DIR");
            System.exit(2);
        }
        HarnessSettings settings = HarnessSettings.current();
        ConfigBoot.writeGuideConfigs(GuideModel.load(settings.manifestsDir()), Path.of(args[0]), Path.of(args[1]),
                OsUser.forServers(settings.runAsUser()));
        System.out.println(FreePorts.loopback() + " " + FreePorts.loopback());
    }
}
