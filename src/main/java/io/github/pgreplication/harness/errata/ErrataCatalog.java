package io.github.pgreplication.harness.errata;

import io.github.pgreplication.harness.guide.MasterProfile;
import io.github.pgreplication.harness.guide.VolumeKind;

import io.github.pgreplication.harness.guide.ManifestException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The reviewed errata file ({@code manifests/guide-errata.yaml}). */
public final class ErrataCatalog {

    /** The file's shape: a list under {@code errata}. */
    public record File(List<Erratum> errata) {
    }

    private final Path path;
    private final List<Erratum> errata;

    private ErrataCatalog(Path path, List<Erratum> errata) {
        this.path = path;
        this.errata = List.copyOf(errata);
    }

    public static ErrataCatalog load(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new ManifestException(path, null, null, "no errata file (set harness.errata)");
        }
        File file;
        try {
            file = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()
                    .readValue(path.toFile(), File.class);
        } catch (RuntimeException e) {
            throw new ManifestException(path, null, null, "malformed errata file: " + e.getMessage(), e);
        }
        List<Erratum> list = file.errata() == null ? List.of() : file.errata();
        Set<String> ids = new HashSet<>();
        for (Erratum e : list) {
            if (e.id() == null || !ids.add(e.id())) {
                throw new ManifestException(path, "erratum " + e.id(), "id", "missing or duplicate id");
            }
            for (String[] field : new String[][] {{"step", e.step()}, {"scope", e.scope()}, {"item", e.item()},
                    {"whatHappens", e.whatHappens()}, {"correction", e.correction()}, {"provedBy", e.provedBy()}}) {
                if (field[1] == null || field[1].isBlank()) {
                    throw new ManifestException(path, "erratum " + e.id(), field[0], "required");
                }
            }
            if (!Set.of("manifest", "guide-text", "procedure").contains(e.scope())) {
                throw new ManifestException(path, "erratum " + e.id(), "scope",
                        "expected manifest, guide-text or procedure, got " + e.scope());
            }
            if (e.masters() != null) {
                for (String m : e.masters()) {
                    try {
                        MasterProfile.parse(m);
                    } catch (IllegalArgumentException unknown) {
                        throw new ManifestException(path, "erratum " + e.id(), "masters", unknown.getMessage()
                                .replace("harness.master=", ""));
                    }
                }
            }
            if (e.needs() != null && !Erratum.knownNeed(e.needs())) {
                throw new ManifestException(path, "erratum " + e.id(), "needs", "unknown need '" + e.needs() + "': expected "
                        + String.join(", ", Arrays.stream(VolumeKind.values()).map(VolumeKind::id).toList()) + ", "
                        + Erratum.EDIT_TENANT + ", " + Erratum.PSQL_BEFORE_15 + " or " + Erratum.DEPLOYMENT_CONFIG);
            }
            if (e.observed() == null) {
                throw new ManifestException(path, "erratum " + e.id(), "observed",
                        "expected sqlstate, exitCode (with outputContains) or result");
            }
        }
        return new ErrataCatalog(path, list);
    }

    /** The errata that hold for a run on {@code profile}'s master (those that name no profile hold for all). */
    public ErrataCatalog forMaster(MasterProfile profile) {
        return new ErrataCatalog(path, errata.stream().filter(e -> e.holdsFor(profile)).toList());
    }

    public Path path() {
        return path;
    }

    public List<Erratum> all() {
        return errata;
    }

    public Optional<Erratum> matching(Deviation d) {
        return errata.stream().filter(e -> e.matches(d)).findFirst();
    }

    public List<Erratum> forItem(String item) {
        return errata.stream().filter(e -> e.item().equals(item)).toList();
    }

    /** The erratum recorded for {@code item}; an error when none is (the harness runs a correction only for one). */
    public Erratum recordedFor(String item) {
        return forItem(item).stream().findFirst().orElseThrow(() -> new AssertionError("no erratum for " + item));
    }

    /**
     * Checks that the correction of the erratum recorded for {@code item} gives {@code corrected}, the line the harness
     * runs in the published one's place: what runs as corrected is what the errata file tells a reader to type.
     */
    public void requireCorrection(String item, String corrected) {
        Erratum e = recordedFor(item);
        if (!e.correction().contains(corrected)) {
            throw new AssertionError("erratum " + e.id() + "'s correction does not give `" + corrected + "`");
        }
    }
}
