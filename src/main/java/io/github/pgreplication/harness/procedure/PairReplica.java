package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.PostgresPod;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.run.Evidence;
import io.github.pgreplication.harness.run.Waits;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A pair's replica across its recreations: Phase 2's init container (setup-slave.sh, run through the ledger) and pod,
 * and the ways the guide and its troubleshooting take it away and bring it back (its Deployment deleted, « Recréer
 * depuis zéro », a new pod on its claim). Its server starts only once its init container succeeded, as a Deployment's
 * pod does, and the pod keeps that init container's result.
 */
final class PairReplica {

    /** A stand-up timing of the pair's ({@link GuidePair#figure}). */
    interface Figure {
        void record(String step, String name, double value, String unit);
    }

    private final String label;
    private final Backend backend;
    private final PairManifests manifests;
    private final ErrataLedger ledger;
    private final Evidence evidence;
    private final Waits waits;
    private PostgresPod pod;
    /** Phase 2's run of the init container; null before Phase 2. */
    private ContainerResult setupSlave;

    PairReplica(String label, Backend backend, PairManifests manifests, ErrataLedger ledger, Evidence evidence, Waits waits) {
        this.label = label;
        this.backend = backend;
        this.manifests = manifests;
        this.ledger = ledger;
        this.evidence = evidence;
        this.waits = waits;
    }

    /** The replica's pod now; null before Phase 2 and while it is deleted. */
    PostgresPod pod() {
        return pod;
    }

    /** Phase 2's run of the init container (setup-slave.sh); null before Phase 2. */
    ContainerResult setupSlave() {
        return setupSlave;
    }

    /**
     * Étapes 2.1 to 2.4: the claims, the init container running setup-slave.sh as written (its PGDATA through the
     * ledger, E28), the Service, then the replica's pod once its server is ready.
     */
    void deploy(Figure figure) {
        manifests.replicaClaims().forEach(backend::claim);
        String item = manifests.configMapItem(GuideNames.Role.REPLICA_CONFIG, "setup-slave.sh");
        ContainerResult init = ReplicaDataDirectory.setUp(manifests, ledger,
                () -> backend.runToCompletion(manifests.replicaInitPlan(), GuidePair.SCRIPT));
        setupSlave = ledger.verbatim(item, () -> {
            if (!init.succeeded()) {
                throw Deviation.exit(item, init.exitCode(), init.tail(15)).raise();
            }
            return init;
        });
        figure.record("2.3", "init container setup-slave.sh (pg_basebackup included)", setupSlave.took().toMillis(), "ms");
        if (setupSlave.output().contains("Password:")) {
            evidence.note("2.2", "`pg_basebackup -W` (\"demander le mot de passe\") prompted `Password:` in the init container. "
                    + "With stdin closed and no terminal it read an empty answer and fell back to PGPASSWORD, so it worked; "
                    + "run with a terminal attached, the same script waits for a password nobody types. `-W` should go.");
        }
        evidence.note("2.2", "`pg_basebackup -R` writes primary_conninfo with the replication password into the replica's "
                + "postgresql.auto.conf, in clear on the PVC `" + manifests.replicaClaimName() + "`; the harness never prints that file.");
        // Étape 2.4's Service is applied as the pod starts rather than after: a Service's name must exist when a
        // container joins the network to be its DNS alias. In Kubernetes the order of the two makes no difference.
        backend.applyService(manifests.replicaService());
        long start = System.nanoTime();
        pod = startAfter(setupSlave);
        figure.record("2.3", "replica container start to ready", Duration.ofNanos(System.nanoTime() - start).toMillis(), "ms");
    }

    /** {@code oc delete deployment postgresql-slave}: the replica's pod is gone (its claims and Service stay). */
    void delete() {
        if (pod != null) {
            backend.deletePod(pod);
            pod = null;
        }
    }

    /**
     * The guide's « Recréer depuis zéro »: {@code oc delete pod}, {@code oc delete pvc}, {@code oc apply -f
     * postgresql-slave-pvc.yaml}; the Deployment's new pod runs its init container on the empty claim, then the
     * replica. {@code initOverride} changes the init container's plan (a wrong Secret value, say). The replica starts
     * only when the init container succeeds; its result is returned either way.
     */
    ContainerResult recreateFromScratch(UnaryOperator<ContainerPlan> initOverride, Duration initTimeout) {
        delete();
        String claim = manifests.replicaClaimName();
        backend.deleteClaim(claim);
        backend.claim(claim);
        return restart(initOverride, initTimeout);
    }

    /**
     * The replica's pod recreated on its claim as it is (a rollout, a drained node): its init container first,
     * {@code initOverride} changing its plan, then, when it succeeds, the replica; the init container's result either way.
     */
    ContainerResult restart(UnaryOperator<ContainerPlan> initOverride, Duration initTimeout) {
        delete();
        ContainerResult r = backend.runToCompletion(initOverride.apply(manifests.replicaInitPlan()), initTimeout);
        if (r.succeeded()) {
            pod = startAfter(r);
        }
        return r;
    }

    /** The replica's pod, started once its init container {@code init} has succeeded, as a Deployment's pod starts. */
    private PostgresPod startAfter(ContainerResult init) {
        ContainerPlan plan = manifests.replicaPlan();
        PostgresPod started = PodReadiness.start(backend, waits, label, plan, PairMaster.loginOf(plan, manifests), GuidePair.START);
        started.ranAfter(manifests.replicaInitPlan().containerName(), init);
        return started;
    }
}
