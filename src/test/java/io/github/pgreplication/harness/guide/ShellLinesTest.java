package io.github.pgreplication.harness.guide;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The guide's shell blocks cut into the command lines bash would run (no cluster needed). */
class ShellLinesTest {

    private final GuideDocument guide = GuideDocument.load(Path.of("guide/postgresql-master-slave-openshift.fr.md"));

    @Test
    void theReconnaissanceAndDiagnosticSectionsAreReadCommandByCommand() {
        assertThat(guide.blocks().stream().filter(b -> b.step().equals("reconnaissance") && b.language().equals("bash"))
                .flatMap(b -> b.commands().stream()))
                .containsExactly("oc project <nom-du-projet>", "oc get all | grep postgres", "oc get pvc | grep postgres",
                        "oc get configmap | grep postgres", "oc get secret | grep postgres",
                        "POD_NAME=$(oc get pods -l name=postgresql -o jsonpath='{.items[0].metadata.name}')",
                        "oc exec $POD_NAME -- psql --version");
        assertThat(guide.blocks().stream().filter(b -> b.step().equals("diagnostics"))
                .flatMap(b -> b.commands().stream()))
                .contains("oc logs <pod-name>", "oc get all -l app=postgresql", "oc top pod -l app=postgresql")
                .noneMatch(l -> l.startsWith("#"));
    }

    @Test
    void continuedLinesAreOneCommand() {
        assertThat(ShellLines.of("# a comment\noc set env deployment/app \\\n  A=1 \\\n  B=2\n\noc get pods\n"))
                .containsExactly("oc set env deployment/app \\\n  A=1 \\\n  B=2", "oc get pods");
    }

    @Test
    void aHeredocAndAQuotedStringOverSeveralLinesStayWithTheirCommand() {
        assertThat(ShellLines.of("oc exec $MASTER_POD -- psql -U postgres <<EOF\nCREATE TABLE t (\n  id int\n);\n"
                + "EOF\n\noc exec $SLAVE_POD -- psql -U postgres -c \"\nINSERT INTO t VALUES (1);\n\"\noc get pods\n"))
                .containsExactly("oc exec $MASTER_POD -- psql -U postgres <<EOF\nCREATE TABLE t (\n  id int\n);\nEOF",
                        "oc exec $SLAVE_POD -- psql -U postgres -c \"\nINSERT INTO t VALUES (1);\n\"", "oc get pods");
        GuideDocument.CodeBlock test1 = guide.blocks().stream().filter(b -> b.step().equals("4.1") && b.text().contains("<<EOF"))
                .findFirst().orElseThrow();
        assertThat(test1.commands()).hasSize(1);
    }
}
