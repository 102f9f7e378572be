package io.github.pgreplication.harness.procedure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlaveStartDiagnosticTest {

    @Test
    void readsTheKeysOfTheSecretsDataAsPrintedRedacted() {
        String printed = """
                apiVersion: v1
                data:
                  replication-password: ****
                  replication-user: cmVwbGljYXRvcg==
                kind: Secret
                metadata:
                  labels:
                    app: not-a-key
                  name: postgresql-replication
                type: Opaque
                """;
        var secret = new ClusterCommands.CommandRun("oc get secret postgresql-replication -o yaml",
                "oc get secret postgresql-replication -o yaml", 0, printed);
        var d = new SlaveStartDiagnostic.Diagnosed(null, null, null, secret);
        assertThat(d.secretKeys()).containsExactly("replication-password", "replication-user");
    }
}
