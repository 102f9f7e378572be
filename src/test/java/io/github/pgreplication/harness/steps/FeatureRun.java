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

    private FeatureRun() {
    }

    /** Each scenario's display name, with {@code describe} of its failure, or {@code PASSED}; in run order. */
    static Map<String, String> outcomes(String featureFile, Function<Throwable, String> describe) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectFile(featureFile))
                .configurationParameter(Constants.GLUE_PROPERTY_NAME, "io.github.pgreplication.harness.steps")
                .configurationParameter(Constants.PLUGIN_PROPERTY_NAME, "summary")
                // In file order, one at a time: these tests expect which scenario fails first.
                .configurationParameter(Constants.PARALLEL_EXECUTION_ENABLED_PROPERTY_NAME, "false")
                .build(), new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.isTest()) {
                            outcomes.put(id.getDisplayName(), result.getThrowable().map(describe).orElse("PASSED"));
                        }
                    }
                });
        return outcomes;
    }
}
