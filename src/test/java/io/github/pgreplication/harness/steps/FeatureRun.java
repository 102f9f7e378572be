package io.github.pgreplication.harness.steps;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectFile;

import io.cucumber.junit.platform.engine.Constants;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** A feature file run through Cucumber with the real glue, for the unit tests that expect its steps to fail. */
final class FeatureRun {

    /** The key of a failure of the run itself, before any scenario (the preflight refusing the input). */
    static final String RUN = "(the run, before any scenario)";

    private FeatureRun() {
    }

    /**
     * Each scenario's display name, with {@code describe} of its failure, or {@code PASSED}, in run order; and
     * {@link #RUN} with the failure that stopped the run before any scenario, if one did.
     */
    static Map<String, String> outcomes(String featureFile, Function<Throwable, String> describe) {
        return outcomes(java.util.List.of(featureFile), describe);
    }

    /** The same for several feature files, run in this order. */
    static Map<String, String> outcomes(java.util.List<String> featureFiles, Function<Throwable, String> describe) {
        return outcomes(featureFiles, "", describe);
    }

    /** The same, only the scenarios whose tags match {@code tags} (a Cucumber tag expression; empty: all). */
    static Map<String, String> outcomes(java.util.List<String> featureFiles, String tags, Function<Throwable, String> describe) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        var request = LauncherDiscoveryRequestBuilder.request();
        if (!tags.isEmpty()) {
            request.configurationParameter(Constants.FILTER_TAGS_PROPERTY_NAME, tags);
        }
        LauncherFactory.create().execute(request
                .selectors(featureFiles.stream().map(f -> selectFile(f)).toList())
                .configurationParameter(Constants.GLUE_PROPERTY_NAME, "io.github.pgreplication.harness.steps")
                .configurationParameter(Constants.PLUGIN_PROPERTY_NAME, "summary")
                // In file order, one at a time: these tests expect which scenario fails first.
                .configurationParameter(Constants.PARALLEL_EXECUTION_ENABLED_PROPERTY_NAME, "false")
                .build(), new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.isTest()) {
                            outcomes.put(id.getDisplayName(), result.getThrowable().map(describe).orElse("PASSED"));
                        } else if (result.getThrowable().isPresent()) {
                            // the preflight (a BeforeAll hook) stopped the run before any scenario
                            outcomes.put(RUN, describe.apply(result.getThrowable().get()));
                        }
                    }
                });
        return outcomes;
    }
}
