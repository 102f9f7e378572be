package io.github.pgreplication.harness.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.MountPlan;
import io.github.pgreplication.harness.guide.MountSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The facts every backend shares about its pods: names, claims in use, Service routing. */
class PodsTest {

    /** A pod whose running state the test sets: the shared helpers only read name, plan, labels and isRunning. */
    private static final class Pod extends AbstractPod {
        boolean running = true;
        final int port;

        Pod(String name, ContainerPlan plan, int port) {
            super(name, plan);
            this.port = port;
        }

        @Override
        public Endpoint endpoint() {
            return new Endpoint("127.0.0.1", port);
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public String logTail(int lines) {
            return "";
        }

        @Override
        public boolean containerLogContains(String text) {
            return false;
        }
    }

    private static ContainerPlan plan(String pod, String container, String claim) {
        return new ContainerPlan(pod, container, "postgres:15", List.of(), List.of(), Map.of(),
                List.of(new MountPlan("/var/lib/postgresql/data", "data", new MountSource.Claim(claim))), Optional.empty(), Optional.empty(),
                Map.of("app", pod), "test");
    }

    @Test
    void podsAreNamedAsADeploymentNamesThemPerContainer() {
        PodNames names = new PodNames();
        assertThat(names.next(plan("postgresql-slave", "setup-slave", "c"))).isEqualTo("postgresql-slave-1-setup-slave");
        assertThat(names.next(plan("postgresql-slave", "postgresql", "c"))).isEqualTo("postgresql-slave-1");
        assertThat(names.next(plan("postgresql-slave", "postgresql", "c"))).isEqualTo("postgresql-slave-2");
        assertThat(names.next(plan("Orders_DB", "postgresql", "c"))).isEqualTo("orders-db-1");
        assertThat(names.next(plan("x".repeat(70), "postgresql", "c"))).hasSize(63);
    }

    @Test
    void aClaimMountedByARunningPodIsRefusedThenAllowedOnceThePodStops() {
        Pods<Pod> pods = new Pods<>();
        Pod master = new Pod("postgresql-master-1", plan("postgresql-master", "postgresql", "master-data"), 1);
        pods.add(master);
        pods.refuseDeletingMounted("other-claim");
        assertThatThrownBy(() -> pods.refuseDeletingMounted("master-data")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("master-data").hasMessageContaining("postgresql-master-1");
        master.running = false;
        pods.refuseDeletingMounted("master-data");
        assertThat(pods.running()).isEmpty();
        assertThat(pods.all()).containsExactly(master);
    }

    @Test
    void aServiceRoutesToARunningPodItsSelectorPicks() {
        ServiceRoutes routes = new ServiceRoutes();
        routes.apply(new ServiceBuilder().withNewMetadata().withName("postgresql").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "postgresql-master")).addNewPort().withName("postgresql")
                .withPort(5432).withNewTargetPort(5432).endPort().endSpec().build());
        Pod old = new Pod("postgresql-master-1", plan("postgresql-master", "postgresql", "d"), 1);
        Pod replica = new Pod("postgresql-slave-1", plan("postgresql-slave", "postgresql", "r"), 2);
        Pod fresh = new Pod("postgresql-master-2", plan("postgresql-master", "postgresql", "d"), 3);
        old.running = false;
        assertThatThrownBy(() -> routes.pod("postgresql", List.of(old, replica))).hasMessageContaining("no running pod");
        assertThat(routes.endpoint("postgresql", List.of(old, replica, fresh))).isEqualTo(new Endpoint("127.0.0.1", 3));
        assertThat(routes.selecting(Map.of("app", "postgresql-master", "tier", "db"))).containsExactly("postgresql");
        assertThat(routes.selecting(Map.of("app", "postgresql-slave"))).isEmpty();
        assertThatThrownBy(() -> routes.pod("postgresql-slave", List.of(replica))).hasMessageContaining("no Service");
    }

    @Test
    void aServiceWhoseTargetPortIsNotTheServersLeadsNowhere() {
        ServiceRoutes routes = new ServiceRoutes();
        routes.apply(new ServiceBuilder().withNewMetadata().withName("wrong").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "postgresql-master")).addNewPort().withName("postgresql")
                .withPort(5432).withNewTargetPort(5433).endPort().endSpec().build());
        routes.apply(new ServiceBuilder().withNewMetadata().withName("named").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "postgresql-master")).addNewPort().withName("postgresql")
                .withPort(5432).withNewTargetPort("postgresql").endPort().endSpec().build());
        Pod master = new Pod("postgresql-master-1", plan("postgresql-master", "postgresql", "d"), 3);
        assertThat(routes.endpoint("wrong", List.of(master))).isNotEqualTo(master.endpoint());
        assertThat(routes.endpoint("named", List.of(master))).isEqualTo(master.endpoint());
    }
}
