package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.guide.GuideNames.Named;
import io.github.pgreplication.harness.procedure.ClusterCommands;
import io.github.pgreplication.harness.procedure.ClusterCommands.Listing;
import io.github.pgreplication.harness.procedure.ClusterCommands.Reconnaissance;
import io.github.pgreplication.harness.procedure.ClusterCommands.SectionRun;
import io.github.pgreplication.harness.procedure.DiagnosticCommands;
import io.github.pgreplication.harness.procedure.GuideOverview;
import io.github.pgreplication.harness.procedure.GuideOverview.DrawnService;
import io.github.pgreplication.harness.procedure.GuideOverview.Route;
import io.github.pgreplication.harness.procedure.LagChecks;
import io.github.pgreplication.harness.procedure.MasterReachability;
import io.github.pgreplication.harness.procedure.TypedApplies;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.opentest4j.TestAbortedException;

/** The guide's overview, and its {@code oc} sections run on a cluster: reconnaissance and diagnostics. */
public class ClusterSteps {

    private final PairWorld world;
    private Reconnaissance reconnaissance;
    private SectionRun diagnostics;
    private List<TypedApplies.Applied> applied;
    private LagChecks.Resources resources;

    public ClusterSteps(PairWorld world) {
        this.world = world;
    }

    private ClusterCommands oc() {
        return new ClusterCommands(world.pair(), world.context());
    }

    private DiagnosticCommands diagnosticCommands() {
        return new DiagnosticCommands(world.pair(), world.context());
    }

    private MasterReachability reachability() {
        return new MasterReachability(world.pair(), world.context());
    }

    @Then("the overview's Service {word} \\({word}) takes its connections to a server that {word}")
    public void overviewService(String role, String access, String does) {
        DrawnService drawn = GuideOverview.drawnService(world.context().guide(), "Service " + role + " (" + access + ")");
        assertThat(does).as("what a %s Service's server does", access).isEqualTo(drawn.readWrite() ? "writes" : "only-reads");
        Route route = new GuideOverview(world.pair(), world.context()).route(drawn);
        assertThat(route.inRecovery()).as("%s, reached as the Service %s: the server is in recovery", drawn.caption(),
                route.reached()).isEqualTo(!drawn.readWrite());
    }

    @Then("the guide's « Master inaccessible » check, run as written from the replica's pod, says the running master is reachable")
    public void masterReachable() {
        assertThat(reachability().masterReachableCheck(true).succeeded()).isTrue();
    }

    @Then("the guide's « Master inaccessible » check, run as written from the replica's pod, says the master is unreachable")
    public void masterUnreachable() {
        assertThat(reachability().masterReachableCheck(false).succeeded()).isFalse();
    }

    @Given("a NetworkPolicy denies every ingress to the master's pod, and the cluster enforces it")
    public void denyMaster() {
        if (!reachability().denyIngressToTheMaster()) {
            throw new TestAbortedException(MasterReachability.NO_POLICY_SUPPORT);
        }
    }

    @When("that NetworkPolicy is deleted")
    public void allowMaster() {
        reachability().allowIngressToTheMaster();
    }

    @When("the guide's reconnaissance commands run as written in the pair's project")
    public void reconnaissance() {
        reconnaissance = oc().reconnaissance();
    }

    @Then("each of its four listings names every object of its kind the pair runs from the manifests")
    public void listings() {
        assertThat(reconnaissance.listings()).hasSize(4);
        for (Listing l : reconnaissance.listings()) {
            assertThat(l.missing()).as("`%s` lists %s", l.guideLine(), l.expected()).isEmpty();
            assertThat(l.beyondGrep()).as("`%s`: objects whose names its grep cannot show", l.guideLine()).isEmpty();
        }
    }

    @Then("the pod its label selector finds is the master {master}, whose psql is of the master's major version")
    public void masterVersion(Named master) {
        assertThat(reconnaissance.version().podFound()).isEqualTo(world.pair().master().name());
        assertThat(reconnaissance.version().psqlVersion())
                .startsWith("psql (PostgreSQL) " + world.pair().masterNode().majorVersion() + ".");
    }

    @When("the guide's diagnostic commands run as written on the replica {replica} and its claim {replica-claim}")
    public void diagnostics(Named replica, Named claim) {
        diagnostics = diagnosticCommands().diagnostics(world.pair().replica(), claim.name());
    }

    @Then("its logs, events and descriptions answer about the replica's running pod and bound claim")
    public void diagnosticAnswers() {
        assertThat(DiagnosticCommands.unansweredDiagnostics(diagnostics, world.pair().replica())).isEmpty();
    }

    @Then("its « État des ressources » lists the master's pod and the replica's")
    public void stateOfResources() {
        assertThat(diagnosticCommands().stateOfResources(diagnostics)).contains("pod/" + world.pair().replica().name());
    }

    @Given("the cluster serves the resource metrics API that oc top reads, with figures for the pods of the master and the replica")
    public void metricsApi() {
        if (!diagnosticCommands().servesMetrics()) {
            throw new TestAbortedException(DiagnosticCommands.NO_METRICS_API);
        }
        diagnosticCommands().awaitPodMetrics(List.of(world.pair().master(), world.pair().replica()));
    }

    @Given("oc top has figures for the pods of the master and the replica: from the cluster's resource metrics API on a cluster, elsewhere from the backend's own account of its pods")
    public void topFigures() {
        if (world.pair().backend().runsOnACluster()) {
            metricsApi();
        }
        diagnosticCommands().awaitPodMetrics(List.of(world.pair().master(), world.pair().replica()));
    }

    @When("the guide's checks of the replica's resources and the master's load run as written, SLAVE_POD and MASTER_POD set by the guide's own lines")
    public void resourcesTyped() {
        resources = new LagChecks(world.pair(), world.context()).resources();
    }

    @Then("its oc describe pod describes the replica's pod running and ready")
    public void replicaDescribed() {
        assertThat(DiagnosticCommands.undescribed(resources.describe(), world.pair().replica())).isEmpty();
    }

    @Then("its two oc top pod lines each printed one row, the replica's pod then the master's, with its CPU and more than {int} MiB of memory")
    public void replicaAndMasterTop(int mib) {
        List<List<LagChecks.PodTop>> tops = resources.tops();
        assertThat(tops).as("%s", resources.run()).extracting(rows -> rows.stream().map(LagChecks.PodTop::pod).toList())
                .containsExactly(List.of(world.pair().replica().name()), List.of(world.pair().master().name()));
        assertThat(tops).as("%s", resources.run()).flatExtracting(rows -> rows).allMatch(r -> r.mebibytes() > mib);
    }

    @Then("oc top shows the CPU and memory of the replica's pod")
    public void top() {
        var top = diagnostics.command("oc top pod");
        assertThat(top.succeeded()).as("%s", top).isTrue();
        assertThat(top.output()).contains(world.pair().replica().name());
    }

    @When("the oc apply -f lines of Étapes 1.2, 1.3, 1.4, 2.1, 2.2 and 2.4 run as written in a directory of the pair's manifests files")
    public void appliesTyped() {
        applied = new TypedApplies(world.pair(), world.context()).run();
    }

    @Then("each exited 0 saying its objects were created, and the cluster holds each as its file writes it")
    public void appliedAsWritten() {
        assertThat(applied).extracting(a -> a.run().guideLine()).hasSize(6);
        applied.forEach(ClusterSteps::assertCreatedAsWritten);
    }

    /** An {@code oc apply -f} line exited 0 saying each object of its file was created, and each is as its file writes it. */
    static void assertCreatedAsWritten(TypedApplies.Applied a) {
        assertThat(a.run().exitCode()).as(a.run().toString()).isZero();
        a.objects().forEach(o -> assertThat(a.run().output()).as(a.run().toString()).contains(o.toLowerCase(Locale.ROOT) + " created"));
        assertThat(a.differences()).as(a.run().guideLine()).isEmpty();
    }

    @When("the ConfigMap {configmap} on the cluster gets a key its file does not write")
    public void configMapChanged(Named configMap) {
        var r = world.pair().clusterShell().orElseThrow().run("oc patch configmap " + configMap.name()
                + " --type merge -p '{\"data\":{\"harness-extra\":\"x\"}}'", Duration.ofSeconds(30));
        assertThat(r.succeeded()).as(r.tail(5)).isTrue();
    }

    @Then("the check of what Étape {word}'s oc apply -f made then says that ConfigMap's data differs from its file's")
    public void checkFails(String step) {
        TypedApplies.Applied a = applied.stream().filter(x -> x.step().equals(step)).findFirst().orElseThrow();
        assertThat(new TypedApplies(world.pair(), world.context()).checkedAgain(a).differences()).singleElement().asString()
                .contains("data differs from the file's");
    }
}
