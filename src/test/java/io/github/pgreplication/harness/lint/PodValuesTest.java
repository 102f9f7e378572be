package io.github.pgreplication.harness.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.lint.PodValues.Judged;
import io.github.pgreplication.harness.lint.PodValues.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The judgement the backends' adaptations rest on, as an API: every value a backend adapts is judged, with where it is
 * and why it works in a pod, so that the report can say it; the differences a team may have that work in a pod (its
 * own pod network, a named targetPort) are judged fine.
 */
class PodValuesTest {

    private static final String MASTER_CONFIG = "ConfigMap/postgresql-master-config";

    @TempDir
    Path dir;

    private List<Judged> judge(Map<String, List<String>> edits, Optional<String> podCidr) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("manifests/corrected"))) {
            for (Path f : files.toList()) {
                String text = Files.readString(f);
                List<String> edit = edits.get(f.getFileName().toString());
                for (int i = 0; edit != null && i < edit.size(); i += 2) {
                    assertThat(text).contains(edit.get(i));
                    text = text.replace(edit.get(i), edit.get(i + 1));
                }
                Files.writeString(dir.resolve(f.getFileName()), text);
            }
        }
        return PodValues.judge(GuideModel.load(dir), podCidr);
    }

    @Test
    void everyKindOfAdaptedValueIsJudgedOnTheCorrectedManifestsAndFoundFineWithWhereAndWhy() throws IOException {
        List<Judged> judged = judge(Map.of(), Optional.empty());
        assertThat(judged).extracting(Judged::kind).containsAll(List.of(Kind.values()));
        assertThat(judged).allSatisfy(j -> {
            assertThat(j.fine()).as(j.adaptation()).isTrue();
            assertThat(j.step()).isNotBlank();
            assertThat(j.file()).endsWith(".yaml");
            assertThat(j.resource()).contains("/");
            assertThat(j.key()).isNotBlank();
            assertThat(j.why()).isNotBlank();
        });
        assertThat(judged).extracting(Judged::adaptation).contains("Judged before adapting (Étape 1.3, "
                + "postgresql-master-config.yaml, ConfigMap/postgresql-master-config, data.master.conf line 6): the team's "
                + "listen_addresses = '*' (master.conf line 6) works in a pod on a cluster: the server of "
                + "DeploymentConfig/postgresql container postgresql listens on every address of its pod, the one the "
                + "replica, the Services and the other pods reach it on.");
    }

    @Test
    void aTeamsOwnPodNetworkIsFineAndSoIsAPublicOneItDeclaresAsItsCluster() throws IOException {
        List<String> own = List.of("10.128.0.0/14", "10.42.0.0/16");
        assertThat(judge(Map.of("postgresql-master-config.yaml", own), Optional.empty()))
                .filteredOn(j -> j.kind() == Kind.HBA_ADDRESS).isNotEmpty().allMatch(Judged::fine)
                .anySatisfy(j -> assertThat(j.why()).isEqualTo("10.42.0.0/16 is a private network of /16, as a cluster's "
                        + "pod network is (the guide: « ajuster le CIDR selon votre cluster »)"));
        List<String> publicPods = List.of("10.128.0.0/14", "198.51.100.0/24");
        assertThat(judge(Map.of("postgresql-master-config.yaml", publicPods), Optional.empty()))
                .filteredOn(j -> j.kind() == Kind.HBA_ADDRESS && j.resource().equals(MASTER_CONFIG)).isNotEmpty()
                .noneMatch(Judged::fine);
        assertThat(judge(Map.of("postgresql-master-config.yaml", publicPods), Optional.of("198.51.100.0/25")))
                .filteredOn(j -> j.kind() == Kind.HBA_ADDRESS && j.resource().equals(MASTER_CONFIG)).isNotEmpty().allSatisfy(j -> assertThat(j.why())
                        .isEqualTo("198.51.100.0/24 holds the cluster's pod network 198.51.100.0/25 (harness.kube.pod-cidr)"));
    }

    @Test
    void aTargetPortByTheNameOfTheServersContainerPortIsFine() throws IOException {
        List<String> named = List.of("            - containerPort: 5432\n", "            - name: pg\n              containerPort: 5432\n");
        List<Judged> judged = judge(Map.of("postgresql-slave-deployment.yaml", named,
                "postgresql-slave-service.yaml", List.of("targetPort: 5432", "targetPort: pg")), Optional.empty());
        assertThat(judged).filteredOn(j -> j.kind() == Kind.SERVICE_PORT && j.resource().equals("Service/postgresql-slave"))
                .singleElement().satisfies(j -> {
                    assertThat(j.fine()).isTrue();
                    assertThat(j.value()).isEqualTo("port 5432 → targetPort 'pg'");
                    assertThat(j.why()).isEqualTo("the containerPort named 'pg', 5432, the port the server of "
                            + "Deployment/postgresql-slave container postgresql listens on");
                });
    }

    @Test
    void theServersPortComesFromItsArgsBeforeItsConfigurationAndItsEnvironment() throws IOException {
        List<String> args = List.of("            - \"hba_file=/etc/postgresql/pg_hba.conf\"\n          ports:",
                "            - \"hba_file=/etc/postgresql/pg_hba.conf\"\n            - \"-p\"\n            - \"5433\"\n          ports:");
        assertThat(judge(Map.of("postgresql-slave-deployment.yaml", args), Optional.empty()))
                .filteredOn(j -> j.kind() == Kind.PORT && j.resource().equals("Deployment/postgresql-slave")).singleElement()
                .satisfies(j -> {
                    assertThat(j.fine()).isFalse();
                    assertThat(j.value()).isEqualTo("port = 5433 (the container's args)");
                    assertThat(j.key()).isEqualTo("spec.template.spec.containers[postgresql].args");
                });
    }
}
