package io.github.pgreplication.harness.monitoring;

import io.github.pgreplication.harness.guide.GuideNames;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.errata.Erratum;
import io.github.pgreplication.harness.guide.CronJobPrerequisites;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.guide.LoadedResource;
import io.github.pgreplication.harness.guide.ManifestException;
import io.github.pgreplication.harness.guide.ManifestSet;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.procedure.GuidePair;
import io.github.pgreplication.harness.procedure.RunContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CronJob {@code postgresql-replication-check}: what it needs to run (checked in the manifests), its
 * status query (run on the master), and its container run once as a Job on the backend, whose printed
 * verdict is the CronJob's verdict.
 */
public final class CronJobCheck {

    public static final List<String> VERDICTS = List.of("ERROR: No replication connection", "WARNING: Lag > 100MB",
            "WARNING: Lag > 60 seconds", "OK: Replication healthy");
    private static final Pattern PSQL_C = Pattern.compile("psql [^\\n]*?-c \"(.*?)\"", Pattern.DOTALL);
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

    /** One run: the verdict of the status query and that of the Job's output. */
    public record Run(String queryVerdict, String jobVerdict, ContainerResult job) {
    }

    private final GuidePair pair;
    private final RunContext context;

    public CronJobCheck(GuidePair pair, RunContext context) {
        this.context = context;
        this.pair = pair;
    }

    /** The CronJob's name in the guide, which its errata items use. */
    private String guideName() {
        return pair.manifests().guideNames().get(GuideNames.Role.MONITORING_CRONJOB);
    }

    /** What the CronJob of these manifests lacks to run at all; empty when nothing. */
    public static List<String> missingPrerequisites(ManifestSet set) {
        LoadedResource r = set.requireSingle("CronJob", "the monitoring CronJob");
        return CronJobPrerequisites.missing(set, template(r), script(r));
    }

    /** Runs the CronJob's check once: its status query, then its container as a Job; its time and verdict noted in the report. */
    public Run runOnce() {
        String query = statusQueryVerdict();
        LoadedResource cronJob = runnableCronJob(false);
        ContainerResult job = pair.backend().runCronJobOnce(pair.manifests().jobPlan(cronJob), JOB_TIMEOUT);
        context.evidence().executed("cronjob/" + guideName() + "#job");
        if (!job.succeeded()) {
            throw new AssertionError("the CronJob's container failed (exit " + job.exitCode()
                    + (job.timedOut() ? ", timed out" : "") + "):\n" + job.tail(20));
        }
        String verdict = VERDICTS.stream().filter(v -> job.output().contains(v)).findFirst()
                .orElseThrow(() -> new AssertionError("the CronJob printed no verdict:\n" + job.tail(20)));
        context.evidence().note("monitoring-cronjob", "Job run " + job.took().toMillis() + " ms, verdict « " + verdict + " ».");
        return new Run(query, verdict, job);
    }

    /** The status query of the CronJob, run on the master through the ledger (erratum E05 on the guide as published). */
    String statusQueryVerdict() {
        LoadedResource r = pair.model().manifests().requireSingle("CronJob", "the monitoring CronJob");
        String item = "cronjob/" + guideName() + "#status-query";
        context.evidence().executed(item);
        String sql = statusQuery(r);
        return context.ledger().verbatim(item, () -> verdictOf(item, sql), () -> {
            Erratum e = context.ledger().catalog().forItem(item).stream().filter(x -> x.correctedSql() != null).findFirst()
                    .orElseThrow(() -> new AssertionError("erratum for " + item + " has no correctedSql"));
            return verdictOf(item, e.correctedSql());
        });
    }

    /** The CronJob to run: the one under test when it can run, else (erratum E06) the corrected one. */
    public LoadedResource prerequisitesOrCorrection() {
        return runnableCronJob(false);
    }

    /**
     * On a cluster: the CronJob under test run once as a Job. When it lacks its prerequisites, the cluster must refuse
     * its pod or its container fail, as erratum E06 says (a Job run to success there fails this check); then the
     * corrected CronJob's Job runs. The Job that runs must succeed and print a verdict.
     */
    public ContainerResult admittedOnTheCluster() {
        if (!pair.backend().runsOnACluster()) {
            throw new IllegalStateException("the pods of backend " + pair.backend().description().name() + " are no cluster's");
        }
        LoadedResource cronJob = runnableCronJob(true);
        ContainerResult job = pair.backend().runCronJobOnce(pair.manifests().jobPlan(cronJob), JOB_TIMEOUT);
        if (!job.succeeded() || VERDICTS.stream().noneMatch(job.output()::contains)) {
            throw new AssertionError("the cluster did not run the Job of CronJob " + cronJob.name() + " to a verdict (exit "
                    + job.exitCode() + (job.timedOut() ? ", timed out" : "") + "):\n" + job.tail(20));
        }
        return job;
    }

    private LoadedResource runnableCronJob(boolean tryOnTheCluster) {
        String item = "cronjob/" + guideName() + "#prerequisites";
        context.evidence().executed(item);
        GuideModel model = pair.model();
        return context.ledger().verbatim(item, () -> {
            List<String> missing = missingPrerequisites(model.manifests());
            if (!missing.isEmpty()) {
                Deviation d = Deviation.result(item, "its ServiceAccount and rights defined", String.join("; ", missing));
                if (tryOnTheCluster && pair.backend().runsOnACluster()) {
                    d = withTheClusterAnswer(d, model.manifests().requireSingle("CronJob", "the monitoring CronJob"));
                }
                throw d.raise();
            }
            return model.manifests().requireSingle("CronJob", "the monitoring CronJob");
        }, () -> {
            List<String> missing = missingPrerequisites(pair.manifests().corrected().manifests());
            if (!missing.isEmpty()) {
                throw new AssertionError("the corrected CronJob lacks " + missing);
            }
            return pair.manifests().corrected().manifests().requireSingle("CronJob", "the monitoring CronJob");
        });
    }

    /** The deviation, with what the cluster did of the CronJob's Job; an AssertionError when the Job succeeded. */
    private Deviation withTheClusterAnswer(Deviation d, LoadedResource cronJob) {
        ContainerResult job = pair.backend().runCronJobOnce(pair.manifests().jobPlan(cronJob), JOB_TIMEOUT);
        if (job.succeeded()) {
            throw new AssertionError("the manifests lack what the CronJob needs (" + d.result() + "), yet the cluster ran "
                    + "its Job to success:\n" + job.tail(20));
        }
        String answer = job.output().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("(no output)");
        context.evidence().note("monitoring-cronjob", "On the cluster, the guide's CronJob `" + cronJob.name()
                + "` run once as a Job (exit " + job.exitCode() + "): " + answer);
        return new Deviation(d.item(), d.kind(), d.sqlstate(), d.exitCode(), d.result(),
                d.detail() + "; on the cluster, its Job (exit " + job.exitCode() + "): " + answer);
    }

    private String verdictOf(String item, String sql) {
        try (Connection c = pair.masterNode().connect()) {
            return String.valueOf(Sql.scalar(c, sql.strip().replaceAll(";\\s*$", "")));
        } catch (SQLException e) {
            throw Deviation.sql(item, e).raise();
        }
    }

    static PodTemplateSpec template(LoadedResource r) {
        CronJob cj = (CronJob) r.resource();
        return Optional.ofNullable(cj.getSpec()).map(s -> s.getJobTemplate()).map(j -> j.getSpec()).map(s -> s.getTemplate())
                .filter(t -> t.getSpec() != null && t.getSpec().getContainers() != null && !t.getSpec().getContainers().isEmpty())
                .orElseThrow(() -> new ManifestException(r.file(), r.ref(), "spec.jobTemplate.spec.template.spec.containers",
                        "expected the job's container"));
    }

    static String script(LoadedResource r) {
        Container c = template(r).getSpec().getContainers().get(0);
        List<String> all = new ArrayList<>();
        Optional.ofNullable(c.getCommand()).ifPresent(all::addAll);
        Optional.ofNullable(c.getArgs()).ifPresent(all::addAll);
        return String.join("\n", all);
    }

    /** The SQL of the script's {@code psql ... -c "..."}, as it would reach the server. */
    static String statusQuery(LoadedResource r) {
        Matcher m = PSQL_C.matcher(script(r));
        if (!m.find()) {
            throw new ManifestException(r.file(), r.ref(), "spec.jobTemplate...containers[0].command",
                    "expected a psql -c \"...\" status query in the script");
        }
        return m.group(1);
    }
}
