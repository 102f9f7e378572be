package io.github.pgreplication.harness.errata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The errata check expects an erratum only when a scenario tagged with it ran: every erratum needs one. */
class ErrataTagsTest {

    @Test
    void everyErratumIsTheTagOfAScenario() throws IOException {
        String features;
        try (Stream<Path> files = Files.list(Path.of("features"))) {
            features = files.filter(p -> p.toString().endsWith(".feature")).map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
        String all = features;
        assertThat(ErrataCatalog.load(Path.of("manifests/guide-errata.yaml")).all())
                .allSatisfy(e -> assertThat(all).as("a scenario tagged @erratum-" + e.id())
                        .containsPattern("@erratum-" + e.id() + "\\b"));
    }
}
