package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.EvidenceFiles;
import io.github.pgreplication.harness.backend.kind.BackendKind;
import io.github.pgreplication.harness.compat.MajorOutcome;
import io.github.pgreplication.harness.lint.LintReport;
import io.github.pgreplication.harness.lint.PodValues;
import io.github.pgreplication.harness.run.ScramKeyCache;
import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.run.RunDirectory;
import io.github.pgreplication.harness.run.Evidence;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.time.Instant;

/**
 * One certification run: its settings, the manifests and guide under test, the errata ledger, the evidence,
 * and the pairs it stands up. The shared pair is stood up once, when a feature first needs it, and serves
 * every scenario that does not break it; scenarios that break a pair on purpose get a disposable one.
 * Everything is released in reverse order at the end, on failure, and on Ctrl-C.
 */
public final class CertificationRun implements AutoCloseable {

    private final HarnessSettings settings;
    private final ResourceManager resources;
    private final GuideModel model;
    private final GuideModel corrected;
    private final GuideDocument guide;
    private final GuideNames guideNames;
    private final ErrataLedger ledger;
    private final Evidence evidence = new Evidence();
    private final Waits waits;
    private final RunContext context;
    private final Instant started = Instant.now();
    private final Set<String> adaptations = new LinkedHashSet<>();
    /** The values of the manifests under test a backend adapts, judged for a pod on a cluster by the preflight. */
    private final List<PodValues.Judged> judged;
    private final List<Backend> backends = new ArrayList<>();
    private volatile GuidePair shared;
    private final Semaphore sharedInUse = new Semaphore(1, true);
    private volatile AssertionError deployFailure;
    private int disposable;
    private final ExistingMasterCopy.Slot existingMasterCopy = new ExistingMasterCopy.Slot();
    private final Map<String, LintReport> lintReports =
            new LinkedHashMap<>();
    private final List<MajorOutcome> compatibility = new ArrayList<>();
    private final Set<String> scenarioTags = new TreeSet<>();

    /** A run of these settings; bad input fails here, in the preflight, before any process starts. */
    public CertificationRun(HarnessSettings settings) {
        this(settings, Preflight.check(settings));
    }

    /** A run made of what the preflight read (each file is read once). */
    private CertificationRun(HarnessSettings settings, Preflight.Inputs inputs) {
        this.settings = settings;
        this.model = inputs.model();
        this.corrected = inputs.corrected();
        this.judged = List.copyOf(inputs.judged());
        this.guideNames = inputs.published().names();
        this.guide = inputs.guide();
        GuideNames mine = model.names();
        this.ledger = new ErrataLedger(inputs.errata(), settings.errataExpectation());
        ledger.toGuideNames(text -> mine.toGuide(text, guideNames));
        this.waits = new Waits(settings.timeoutScale());
        this.resources = new ResourceManager("certification");
        this.context = new RunContext(guide, ledger, evidence, waits, settings);
        ScramKeyCache.install();
    }

    /** The run's services, as the procedure on a pair takes them. */
    public RunContext context() {
        return context;
    }

    public HarnessSettings settings() {
        return settings;
    }

    public GuideModel model() {
        return model;
    }

    /** The guide's own names (its published manifests): the names the features use. */
    public GuideNames guideNames() {
        return guideNames;
    }

    public GuideDocument guide() {
        return guide;
    }

    public ErrataLedger ledger() {
        return ledger;
    }

    public Evidence evidence() {
        return evidence;
    }

    public Waits waits() {
        return waits;
    }

    public Instant started() {
        return started;
    }

    /** The lint reports of this run, by name (the directory linted). */
    public synchronized Map<String, LintReport> lintReports() {
        return new LinkedHashMap<>(lintReports);
    }

    public synchronized void lintReport(LintReport report) {
        lintReports.put(report.name(), report);
    }

    /** The per-major boot outcomes of this run. */
    public synchronized List<MajorOutcome> compatibility() {
        return compatibility.stream().sorted().toList();
    }

    /** Keeps a boot's outcome, the last of its major and configurations. */
    public synchronized void compatibility(MajorOutcome outcome) {
        compatibility.removeIf(o -> o.compareTo(outcome) == 0);
        compatibility.add(outcome);
    }

    /** The tags of every scenario this run has started: errata whose scenarios were filtered out are not expected. */
    public synchronized void scenarioStarted(Collection<String> tags) {
        scenarioTags.addAll(tags);
    }

    public synchronized Set<String> scenarioTags() {
        return Set.copyOf(scenarioTags);
    }

    /** What the errata file does not account for, once every scenario has run (see ErrataLedger#verdictProblems). */
    public List<String> errataProblems() {
        return ledger.verdictProblems(scenarioTags());
    }

    /**
     * The pair every non-destructive scenario uses (existing master, Phase 1, Phase 2), stood up by its first user.
     * One scenario at a time holds it, from this call to {@link #releaseSharedPair()}: scenarios run in parallel,
     * and a check of one (no lag once caught up, say) must not see another's writes.
     */
    public GuidePair acquireSharedPair() throws SQLException {
        sharedInUse.acquireUninterruptibly();
        try {
            if (shared == null) {
                shared = standUp("shared pair", false);
            }
            return shared;
        } catch (SQLException | RuntimeException | Error e) {
            sharedInUse.release();
            throw e;
        }
    }

    /** Gives the shared pair to the next scenario waiting for it. */
    public void releaseSharedPair() {
        sharedInUse.release();
    }

    public boolean hasSharedPair() {
        return shared != null;
    }

    /**
     * A pair of its own for a scenario that breaks it; released when the scenario ends. Pairs of their own are
     * stood up concurrently, by scenarios running in parallel.
     */
    public GuidePair disposablePair(String purpose) throws SQLException {
        return standUp("disposable pair " + nextDisposable() + " (" + purpose + ")", true);
    }

    /** A pair with only the existing master, for scenarios that walk Phase 1 themselves. */
    public GuidePair bareMaster(String purpose) throws SQLException {
        return deploy("disposable pair " + nextDisposable() + " (" + purpose + ")", GuidePair::createExistingMaster);
    }

    private synchronized int nextDisposable() {
        return ++disposable;
    }

    /**
     * The existing master, Phase 1, Phase 2. A pair of its own ({@code fromCopy}) starts at Étape 1.5 once the run has
     * a copy of the existing master's claims at rest (made by the first pair that deleted its existing master's pod
     * there, where the backend copies claims): the same data, settings and superuser password, without the existing
     * master's pod and Étape 1.1's backup, which the shared pair and the pairs before the copy walk.
     */
    private GuidePair standUp(String label, boolean fromCopy) throws SQLException {
        return deploy(label, pair -> {
            long start = System.nanoTime();
            Optional<ExistingMasterCopy> copy = fromCopy ? existingMasterCopy.available() : Optional.empty();
            if (copy.isPresent()) {
                pair.restoreExistingMaster(copy.get());
                synchronized (this) {
                    adaptations.add("Pairs of their own stood up once the run had a copy of the existing master's claims "
                            + "start at Étape 1.5: the copy is taken at rest by the first pair that deletes its existing "
                            + "master's pod there (same data, settings and superuser password); the existing master's pod "
                            + "and Étape 1.1's pg_dumpall run on the pairs that walk the whole procedure, the shared pair "
                            + "and those stood up before the copy.");
                }
            } else {
                pair.createExistingMaster();
            }
            pair.applyPhase1();
            pair.applyPhase2();
            pair.figure("2.5", copy.isPresent() ? "whole deployment from Étape 1.5 on a copy of the existing master's claims"
                    : "whole deployment, existing master to streaming replica", (System.nanoTime() - start) / 1_000_000.0, "ms");
        });
    }

    /** What standing a pair up does, given the pair. */
    private interface Deployment {
        void apply(GuidePair pair) throws SQLException;
    }

    /**
     * Stands a pair up; once the manifests under test have failed to deploy, every later pair fails at once with
     * that first diagnosis (what was last seen, the pods' logs) instead of timing out again, scenario after
     * scenario. The failed pair is released at once.
     */
    private GuidePair deploy(String label, Deployment deployment) throws SQLException {
        if (deployFailure != null) {
            throw new AssertionError("Not deployed again: the manifests under test (" + settings.manifestsDir()
                    + ") already failed to deploy in this run, for " + deployFailure.getMessage(), deployFailure.getCause());
        }
        GuidePair pair = newPair(label);
        try {
            deployment.apply(pair);
            return pair;
        } catch (SQLException | RuntimeException | AssertionError e) {
            deployFailure = new AssertionError(label + ":\n" + e.getMessage() + pair.podLogs() + collectEvidence(label, pair), e);
            release(pair);
            throw deployFailure;
        }
    }

    /**
     * A pair that failed to stand up has no scenario's failure hook to collect its evidence (it is released at once):
     * its backend writes it here, under {@code <reports>/evidence/}, and the failure says where.
     */
    private String collectEvidence(String label, GuidePair pair) {
        Path dir = settings.reportsDir().resolve("evidence").resolve(EvidenceFiles.dirName(label, "standup"));
        try {
            List<Path> files = pair.backend().collectEvidence(dir);
            return "\nFailure evidence (" + files.size() + " files): " + dir;
        } catch (RuntimeException e) {
            return "\nNo failure evidence from the " + pair.backend().description().name() + " backend: " + e.getMessage();
        }
    }

    private GuidePair newPair(String label) {
        Backend backend = resources.track(label + " backend", BackendKind.of(settings).create(settings, resources, waits));
        PairManifests manifests = backend.nameSuffix().map(suffix -> {
            Path dir = RunDirectory.scratch("names");
            resources.track("renamed manifests " + dir, () -> RunDirectory.deleteTree(dir));
            return PairManifests.suffixed(model, corrected, guideNames, suffix, dir, PairManifests.commandObjects(guide));
        }).orElseGet(() -> new PairManifests(model, corrected, guideNames, Map.of()));
        GuidePair pair = new GuidePair(label, backend, manifests, context, existingMasterCopy);
        synchronized (this) {
            backends.add(backend);
            adaptations.addAll(pair.manifests().secretAdaptations());
        }
        return pair;
    }

    /** Releases a disposable pair now. */
    public void release(GuidePair pair) {
        synchronized (this) {
            adaptations.addAll(pair.backend().adaptations());
        }
        resources.releaseNow(pair.backend());
    }

    public synchronized List<String> adaptations() {
        Set<String> all = new LinkedHashSet<>(adaptations);
        all.addAll(evidence.adaptations());
        backends.forEach(b -> all.addAll(b.adaptations()));
        all.addAll(judgedBeforeAdapting());
        return List.copyOf(all);
    }

    /**
     * For each value a backend of this run adapts, the team's value and why it was judged fine for a pod on a cluster
     * (the preflight refuses one that is not): the server settings a backend sets for its host, pg_hba.conf's networks,
     * the paths and the Services. None when no pair was stood up: nothing was adapted.
     */
    private List<String> judgedBeforeAdapting() {
        if (backends.isEmpty()) {
            return List.of();
        }
        Set<String> hostSettings = new TreeSet<>();
        backends.forEach(b -> hostSettings.addAll(b.hostServerSettings()));
        Map<PodValues.Kind, String> setting = Map.of(PodValues.Kind.LISTEN_ADDRESSES, "listen_addresses",
                PodValues.Kind.PORT, "port", PodValues.Kind.SOCKET_DIRECTORIES, "unix_socket_directories");
        return judged.stream().filter(j -> !setting.containsKey(j.kind()) || hostSettings.contains(setting.get(j.kind())))
                .map(PodValues.Judged::adaptation).toList();
    }

    public synchronized List<Backend> backends() {
        return List.copyOf(backends);
    }

    /** What this run did, for the report. */
    public synchronized RunRecord record() {
        return new RunRecord(settings, started, guide, model.names(), guideNames, ledger, evidence,
                backends.stream().map(Backend::description).toList(), adaptations(), lintReports(), compatibility(),
                errataProblems(), waits.closeCalls());
    }

    @Override
    public void close() {
        // The backends keep their adaptations after close, so adaptations() still reports them.
        resources.close();
    }
}
