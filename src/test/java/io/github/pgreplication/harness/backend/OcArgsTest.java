package io.github.pgreplication.harness.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.harness.backend.OcArgs.Flag;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** oc's command lines read as kubectl 1.20's flag parser reads them. */
class OcArgsTest {

    private static final List<Flag> EXEC = List.of(Flag.bool("stdin", 'i'), Flag.bool("tty", 't'), Flag.value("container", 'c'));
    private static final List<Flag> GET = List.of(Flag.value("selector", 'l'), Flag.value("output", 'o'));

    @Test
    void execWithGroupedShorthandsAndACommandAfterTheDashes() {
        OcArgs a = OcArgs.parse("exec", List.of("-it", "db-1", "-c", "postgresql", "--", "psql", "-U", "postgres", "-c", "SELECT 1"), EXEC);
        assertThat(a.positional()).containsExactly("db-1");
        assertThat(a.flags()).containsExactlyInAnyOrderEntriesOf(Map.of("stdin", "true", "tty", "true", "container", "postgresql"));
        assertThat(a.afterDash()).containsExactly("psql", "-U", "postgres", "-c", "SELECT 1");
        assertThat(a.dashDash()).isTrue();
    }

    @Test
    void flagsAreReadAnywhereBeforeTheDashesButNotAfter() {
        OcArgs a = OcArgs.parse("exec", List.of("db-1", "-i", "--", "sh", "-t", "-c", "exit 3"), EXEC);
        assertThat(a.has("stdin")).isTrue();
        assertThat(a.has("tty")).isFalse();
        assertThat(a.afterDash()).containsExactly("sh", "-t", "-c", "exit 3");
    }

    /** kubectl 1.20 reads the deprecated form's {@code sh -c "…"} as a container flag (seen on the offline cluster). */
    @Test
    void withoutTheDashesACommandsFlagsAreOcs() {
        OcArgs a = OcArgs.parse("exec", List.of("db-1", "sh", "-c", "echo legacy"), EXEC);
        assertThat(a.positional()).containsExactly("db-1", "sh");
        assertThat(a.value("container")).contains("echo legacy");
        assertThat(a.dashDash()).isFalse();
    }

    @Test
    void valuesAttachedOrAfterAnEqualsSign() {
        assertThat(OcArgs.parse("get", List.of("pods", "-lname=postgresql", "-ojsonpath={.items[0].metadata.name}"), GET).flags())
                .containsEntry("selector", "name=postgresql").containsEntry("output", "jsonpath={.items[0].metadata.name}");
        assertThat(OcArgs.parse("get", List.of("pods", "--selector=role=slave", "--output", "name"), GET).flags())
                .containsEntry("selector", "role=slave").containsEntry("output", "name");
        assertThat(OcArgs.parse("get", List.of("pods", "-l=app=x"), GET).value("selector")).contains("app=x");
        assertThat(OcArgs.parse("get", List.of("pods", "-n", "other"), GET).value("namespace")).contains("other");
    }

    @Test
    void booleansTakeAnExplicitValue() {
        assertThat(OcArgs.parse("exec", List.of("--stdin=false", "db-1"), EXEC).has("stdin")).isFalse();
        assertThat(OcArgs.parse("exec", List.of("--tty=true", "db-1"), EXEC).has("tty")).isTrue();
        assertThatThrownBy(() -> OcArgs.parse("exec", List.of("--tty=maybe"), EXEC)).isInstanceOf(OcArgs.Refused.class)
                .hasMessageContaining("invalid argument \"maybe\" for \"--tty\" flag");
    }

    @Test
    void anUnknownFlagIsNotProvidedAndNamedWithoutItsValue() {
        assertThatThrownBy(() -> OcArgs.parse("get", List.of("pods", "-w"), GET)).isInstanceOf(OcArgs.Unprovided.class)
                .hasMessage("get -w");
        assertThatThrownBy(() -> OcArgs.parse("get", List.of("pods", "--sort-by=.lastTimestamp"), GET))
                .isInstanceOf(OcArgs.Unprovided.class).hasMessage("get --sort-by");
        assertThatThrownBy(() -> OcArgs.parse("exec", List.of("-iq", "db-1"), EXEC)).isInstanceOf(OcArgs.Unprovided.class)
                .hasMessage("exec -q");
    }

    @Test
    void aValueFlagAtTheEndIsRefusedAsKubectlRefusesIt() {
        assertThatThrownBy(() -> OcArgs.parse("get", List.of("pods", "-l"), GET)).isInstanceOf(OcArgs.Refused.class)
                .hasMessage("error: flag needs an argument: 'l' in -l");
        assertThatThrownBy(() -> OcArgs.parse("get", List.of("pods", "--selector"), GET)).isInstanceOf(OcArgs.Refused.class)
                .hasMessage("error: flag needs an argument: --selector");
    }

    @Test
    void aLoneDashIsAnArgument() {
        assertThat(OcArgs.parse("get", List.of("pods", "-"), GET).positional()).containsExactly("pods", "-");
    }
}
