package io.github.pgreplication.harness.procedure;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.ContainerExited;
import io.github.pgreplication.harness.backend.PostgresPod;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.DeploymentPlan;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.guide.ImageContract;
import io.github.pgreplication.harness.run.Waits;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * A pair's master across its restarts: its pod, the template it runs (before the guide, Étape 1.5's, or corrected), how
 * its DeploymentConfig starts it (applied by the harness, or rolled out by the guide's own lines), and the superuser's
 * password its environment last gave. Each start waits until the server answers with the login the data was made with.
 */
final class PairMaster {

    private final String label;
    private final Backend backend;
    private final PairManifests manifests;
    private final GuideModel model;
    private final ErrataLedger ledger;
    private final Waits waits;
    private PostgresPod pod;
    private PodTemplateSpec template;
    /**
     * The superuser's password the master was last given by its environment: the sclorg image sets it at a start where
     * the environment holds one and leaves it in the catalog when a later template (the rollback's) holds none.
     */
    private String lastAdminPassword;

    PairMaster(String label, Backend backend, PairManifests manifests, ErrataLedger ledger, Waits waits) {
        this.label = label;
        this.backend = backend;
        this.manifests = manifests;
        this.model = manifests.model();
        this.ledger = ledger;
        this.waits = waits;
    }

    /** The master's pod now; null before it first started. */
    PostgresPod pod() {
        return pod;
    }

    /** The master as it runs before the guide: the template of Étape 1.1's backup, its pod started. */
    void startBeforeGuide() {
        template = model.masterTemplateBeforeGuide();
        start();
    }

    /** The master's template is the one before the guide, its pod not started (its claims are a copy's). */
    void templateBeforeGuide() {
        template = model.masterTemplateBeforeGuide();
    }

    /**
     * The master's pod with Étape 1.5's template, verbatim: its container's args as the guide gives them, the pod as
     * {@code started} gives it (the config applied by the harness, or rolled out by the guide's own lines). An image
     * whose entrypoint runs its args as the command (the sclorg image's) runs the guide's {@code -c …} as a program and
     * the container exits: recorded, then corrected as that image takes a server's options, after its command.
     */
    void startAsStep15Leaves(BiFunction<DeploymentPlan, Duration, PostgresPod> started) {
        String item = "deploymentconfig/" + manifests.guideNames().get(GuideNames.Role.MASTER_POD) + "#args";
        template = model.masterTemplate();
        pod = ledger.verbatim(item, () -> {
            try {
                return podOf(manifests.masterPlan(template), started);
            } catch (ContainerExited e) {
                throw Deviation.exit(item, e.exitCode(), e.log()).raise();
            }
        }, () -> {
            template = GuideModel.argsAfterImageCommand(template);
            return podOf(manifests.masterPlan(template), backend::startDeploymentConfig);
        });
    }

    /** Étape 1.5 only: the master restarted with the new template, as Phase 1 does it (E26 corrected where it reproduces). */
    void rollOutStep15() {
        stop();
        startAsStep15Leaves(backend::startDeploymentConfig);
    }

    /** Stops the master's pod (a node failure or a scale to 0): its Service has no endpoint until it starts again. */
    void stop() {
        backend.deletePod(pod);
    }

    /** Starts the master's pod again with the template it last ran with. */
    void start() {
        startWith(UnaryOperator.identity());
    }

    /** Restarts the master's pod with the template it last ran with, its plan changed (a corrected environment, say). */
    void restartWith(UnaryOperator<ContainerPlan> change) {
        stop();
        startWith(change);
    }

    private void startWith(UnaryOperator<ContainerPlan> change) {
        pod = podOf(change.apply(manifests.masterPlan(template)), backend::startDeploymentConfig);
    }

    /** « Rollback du Master » as the harness plays it: the template before Étape 1.5 rolled out; its duration in ms. */
    long rollBack() {
        long start = System.nanoTime();
        stop();
        startBeforeGuide();
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    /** The master once the guide's own lines rolled its DeploymentConfig back: its latest version's pod. */
    void rolledBack() {
        template = model.masterTemplateBeforeGuide();
        pod = podOf(manifests.masterPlan(template), backend::deploymentConfigPod);
    }

    /** The superuser's password from the Secret the master's template names, or the last one it named. */
    String adminPassword() {
        String now = pod.plan().env().get(pod.plan().imageContract().superuserPasswordEnv());
        if (now != null) {
            lastAdminPassword = now;
        }
        return lastAdminPassword;
    }

    /** The master's pod that {@code started} gives for its DeploymentConfig running {@code plan}, once its server answers. */
    private PostgresPod podOf(ContainerPlan plan, BiFunction<DeploymentPlan, Duration, PostgresPod> started) {
        return PodReadiness.start(() -> started.apply(manifests.masterConfig(plan), GuidePair.START), waits, label,
                loginOf(plan, manifests), GuidePair.START);
    }

    /** The login a server of {@code plan} is reached with: its own data login, or else the one the data was made with. */
    static ImageContract.Login loginOf(ContainerPlan plan, PairManifests manifests) {
        ImageContract.Login login = plan.imageContract().dataLogin(plan.env());
        return login.password() == null ? manifests.dataLogin() : login;
    }
}
