package io.github.pgreplication.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One resource manager per run: a backend's part of it is released alone, or with the run, in reverse order. */
class ResourceManagerTest {

    @Test
    void aChildIsReleasedWithTheRunInReverseOrder() {
        List<String> released = new ArrayList<>();
        ResourceManager run = new ResourceManager("test run");
        run.track("template", () -> released.add("template"));
        ResourceManager backend = run.child("backend");
        backend.track("network", () -> released.add("network"));
        backend.track("container", () -> released.add("container"));
        run.track("report", () -> released.add("report"));
        run.close();
        assertThat(released).containsExactly("report", "container", "network", "template");
        assertThat(backend.isClosed()).isTrue();
    }

    @Test
    void aChildReleasedAloneLeavesTheRestOfTheRun() {
        List<String> released = new ArrayList<>();
        ResourceManager run = new ResourceManager("test run");
        run.track("template", () -> released.add("template"));
        ResourceManager backend = run.child("backend");
        backend.track("process", () -> released.add("process"));
        backend.track("directory", () -> released.add("directory"));
        backend.close();
        assertThat(released).containsExactly("directory", "process");
        run.close();
        assertThat(released).containsExactly("directory", "process", "template");
    }
}
