package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.ClusterImage;
import io.github.pgreplication.harness.backend.ContainerResult;
import java.time.Duration;

/**
 * A reader's application on a cluster, a stand-in: a Deployment of one container of the image the pair's servers run
 * (for its psql) that sleeps, in the pair's namespace, driven with the cluster's own {@code oc} as its reader would.
 * What it stands for is said by who deploys it (« Stratégie de répartition »'s {@code oc set env}, an application's
 * session across a restart of the master).
 */
final class StandInApplication {

    static final Duration ROLLOUT = Duration.ofSeconds(120);

    private final GuidePair pair;
    private final RunContext context;
    private final String name;
    private final ClusterImage image;

    /** {@code name}: the Deployment's, already the pair's (with its suffix where the run's pairs share a namespace). */
    StandInApplication(GuidePair pair, RunContext context, String name, String needs) {
        this.pair = pair;
        this.context = context;
        this.name = name;
        String serversImage = pair.manifests().replicaDeploymentPlan(pair.model()).containers().get(0).image();
        this.image = pair.backend().clusterImage(serversImage).orElseThrow(() -> new IllegalStateException(
                needs + " needs a cluster"));
    }

    String name() {
        return name;
    }

    /** The image its container runs, as the cluster names it. */
    String image() {
        return image.image();
    }

    /** Applies the Deployment and waits for its rollout; fails with what {@code oc} printed when it does not roll out. */
    void rollOut() {
        String yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\nspec:\n  replicas: 1\n"
                + "  selector:\n    matchLabels:\n      app: " + name + "\n  template:\n    metadata:\n      labels:\n"
                + "        app: " + name + "\n    spec:\n      terminationGracePeriodSeconds: 1\n      containers:\n"
                + "        - name: application\n          image: " + image.image() + "\n"
                + (image.neverPulled() ? "          imagePullPolicy: Never\n" : "")
                + "          command: [\"sleep\", \"infinity\"]\n";
        ContainerResult r = oc("oc apply -f - <<'EOF'\n" + yaml + "EOF\n" + rolloutStatus(), ROLLOUT.plusSeconds(10));
        if (!r.succeeded()) {
            throw new AssertionError("the stand-in for the reader's application `" + name + "` did not roll out (exit "
                    + r.exitCode() + "):\n" + r.tail(20));
        }
    }

    /** {@code oc rollout status} of the Deployment, bounded by the run's scale of {@link #ROLLOUT}. */
    String rolloutStatus() {
        return "oc rollout status deployment/" + name + " --timeout=" + context.waits().scaled(ROLLOUT).toSeconds() + "s";
    }

    /** The name of its one pod, as {@code oc get pods -l app=NAME} gives it once rolled out. */
    String pod() {
        ContainerResult r = oc("oc get pods -l app=" + name + " -o jsonpath='{.items[0].metadata.name}'", Duration.ofSeconds(30));
        if (!r.succeeded() || r.output().isBlank()) {
            throw new AssertionError("the application `" + name + "` has no pod (exit " + r.exitCode() + "):\n" + r.tail(10));
        }
        return r.output().strip();
    }

    /** {@code oc delete deployment}: its pod goes with it (a grace period of 1 s). */
    void delete() {
        oc("oc delete deployment " + name + " --ignore-not-found", Duration.ofSeconds(60));
    }

    /** A script run with the cluster's {@code oc}, in the pair's project, within the run's scale of {@code timeout}. */
    ContainerResult oc(String script, Duration timeout) {
        return pair.clusterShell().orElseThrow().run(script, context.waits().scaled(timeout));
    }
}
