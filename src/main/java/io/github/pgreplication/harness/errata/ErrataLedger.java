package io.github.pgreplication.harness.errata;

import io.github.pgreplication.harness.guide.VolumeKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The run's record of the guide's items: each is run verbatim first. Where it deviates, the deviation must
 * be a recorded erratum (then the run goes on with the corrected item, so one defect does not hide the next);
 * an unrecorded deviation fails. Where it does not deviate but an erratum is recorded for it, the run fails
 * when this run's expectation says the erratum must reproduce.
 */
public final class ErrataLedger {

    public enum Status { REPRODUCED, NOT_REPRODUCED, UNRECORDED, CONFORMS }

    /** What happened to one item in this run. */
    public record Entry(String item, Status status, Optional<Erratum> erratum, String detail) {
    }

    private final ErrataCatalog catalog;
    private final ErrataExpectation expectation;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /**
     * Spells a text with the guide's names (a team's manifests may rename the slot, the role, the Services): the
     * errata file records what the guide's items print, so a deviation is matched once translated back.
     */
    private volatile java.util.function.UnaryOperator<String> toGuideNames = java.util.function.UnaryOperator.identity();

    public synchronized void toGuideNames(java.util.function.UnaryOperator<String> translation) {
        this.toGuideNames = translation;
    }

    /** What this run's claims are, once a pair has looked (empty until then: no erratum that needs a kind is required). */
    private volatile Optional<VolumeKind> volumes = Optional.empty();

    /** The needs ({@link Erratum#needs()}) this run was found to meet: its claims' kind, its credentials' role. */
    private final Set<String> met = ConcurrentHashMap.newKeySet();

    /** What the run's claims are, as the first pair found its master's; every pair of a run has the same backend. */
    public void volumes(VolumeKind kind) {
        volumes = Optional.of(kind);
        met.add(kind.id());
    }

    /** The run's credentials were found to hold {@code edit} and no more in their namespace ({@link Erratum#EDIT_TENANT}). */
    public void editTenant() {
        met.add(Erratum.EDIT_TENANT);
    }

    /** A pair's master was found to run as its DeploymentConfig ({@link Erratum#DEPLOYMENT_CONFIG}). */
    public void deploymentConfig() {
        met.add(Erratum.DEPLOYMENT_CONFIG);
    }

    /** The psql of the master's pod was found to be of PostgreSQL 14 or older ({@link Erratum#PSQL_BEFORE_15}). */
    public void psqlBefore15() {
        met.add(Erratum.PSQL_BEFORE_15);
    }

    public Optional<VolumeKind> volumes() {
        return volumes;
    }

    public ErrataLedger(ErrataCatalog catalog, ErrataExpectation expectation) {
        this.catalog = catalog;
        this.expectation = expectation;
    }

    public ErrataCatalog catalog() {
        return catalog;
    }

    public ErrataExpectation expectation() {
        return expectation;
    }

    /** Does this run require the erratum to reproduce (on its claims' kind)? */
    public boolean mustReproduce(Erratum e) {
        if (e.needs() != null && !met.contains(e.needs())) {
            return false;
        }
        return switch (expectation) {
            case ALL -> true;
            case TEXT_ONLY -> !e.isManifestScope();
            case ANY -> false;
        };
    }

    /** Runs an item for which no correction exists: a recorded deviation of it still fails the run. */
    public <T> T verbatim(String item, Supplier<T> asPublished) {
        return verbatim(item, asPublished, () -> {
            throw new AssertionError("erratum recorded for " + item + " but no correction exists for it");
        });
    }

    /**
     * Runs an item verbatim; on a recorded deviation, records it and returns the corrected item's result. The item
     * runs outside the ledger's lock: scenarios running in parallel run their items at the same time.
     */
    public <T> T verbatim(String item, Supplier<T> asPublished, Supplier<T> corrected) {
        T value;
        try {
            value = asPublished.get();
        } catch (Deviation.Exception d) {
            Deviation dev = d.deviation();
            Optional<Erratum> erratum = catalog.matching(dev.translated(toGuideNames));
            if (erratum.isEmpty()) {
                record(new Entry(item, Status.UNRECORDED, Optional.empty(), dev.detail()));
                throw new AssertionError("Unrecorded deviation from the guide at " + item + ": " + dev.detail()
                        + "\nEither the manifests under test are wrong here, or the guide is: then record an erratum in "
                        + catalog.path(), d);
            }
            if (expectation == ErrataExpectation.TEXT_ONLY && erratum.get().isManifestScope()) {
                record(new Entry(item, Status.UNRECORDED, erratum, dev.detail()));
                throw new AssertionError("Erratum " + erratum.get().id() + " is a manifest erratum, corrected in the"
                        + " corrected manifests, yet it reproduces on them at " + item + ": " + dev.detail(), d);
            }
            record(new Entry(item, Status.REPRODUCED, erratum, dev.detail()));
            return corrected.get();
        }
        List<Erratum> recorded = catalog.forItem(item);
        for (Erratum e : recorded) {
            boolean must = mustReproduce(e);
            record(new Entry(item, Status.NOT_REPRODUCED, Optional.of(e), "ran as published without deviation"));
            if (must) {
                throw new AssertionError("Erratum " + e.id() + " (" + e.title() + ") is recorded for " + item
                        + " but did not reproduce: the item ran as published without deviation. Update "
                        + catalog.path());
            }
        }
        if (recorded.isEmpty()) {
            record(new Entry(item, Status.CONFORMS, Optional.empty(), "as the guide says"));
        }
        return value;
    }

    private synchronized void record(Entry e) {
        entries.merge(e.item() + "|" + e.erratum().map(Erratum::id).orElse(""), e, (old, neu) -> neu);
    }

    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    public synchronized Optional<Entry> entryFor(Erratum e) {
        return entries.values().stream().filter(x -> x.erratum().filter(e::equals).isPresent()).findFirst();
    }

    /**
     * The run's errata verdict, once every scenario has run: each erratum this run must see and whose proving
     * scenario ran ({@code @erratum-Exx} among {@code scenarioTags}) but that did not reproduce, and each
     * deviation outside the errata file. Empty when the errata file accounts for everything the run saw.
     */
    public synchronized List<String> verdictProblems(java.util.Set<String> scenarioTags) {
        List<String> problems = new ArrayList<>();
        missing().stream().filter(e -> scenarioTags.contains("@erratum-" + e.id())).forEach(e -> problems.add(
                "erratum " + e.id() + " (" + e.item() + ") did not reproduce, and this run (" + expectation() + ") must see it"));
        entries.values().stream().filter(x -> x.status() == Status.UNRECORDED).forEach(x -> problems.add(
                "a deviation outside the errata file " + catalog.path() + ": " + x.item() + ": " + x.detail()));
        return problems;
    }

    /** Errata this run must see reproduced but has not (yet). */
    public synchronized List<Erratum> missing() {
        return catalog.all().stream().filter(this::mustReproduce)
                .filter(e -> entryFor(e).map(x -> x.status() != Status.REPRODUCED).orElse(true)).toList();
    }
}
