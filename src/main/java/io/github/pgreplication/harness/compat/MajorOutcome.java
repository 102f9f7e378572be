package io.github.pgreplication.harness.compat;

import java.util.List;
import java.util.Map;

/**
 * What the guide's configurations did on one PostgreSQL major.
 *
 * @param configurations    empty for the manifests' configurations as they are, else what was changed in them before
 *                          the boot (an erratum's correction for that major)
 * @param unknownParameters parameters of master.conf / slave.conf this major does not know (--describe-config)
 * @param masterBoots       master.conf with its pg_hba.conf started a server
 * @param masterError       PostgreSQL's own messages when it did not
 * @param replicaBoots      slave.conf started a hot standby (on a cold copy of the master, as -R -S would set up)
 * @param streams           the standby streamed from the master through the slot and replayed a row
 * @param masterAnswers     what the booted master answered to each statement the boot was given (its first column of its
 *                          first row, or {@code SQLSTATE xxxxx: message}), in the order given
 */
public record MajorOutcome(int major, String version, String configurations, List<String> unknownParameters,
                           boolean masterBoots, String masterError, boolean replicaBoots, String replicaError,
                           boolean streams, Map<String, String> masterAnswers, long millis) implements Comparable<MajorOutcome> {

    /** By major, the configurations as they are before any changed one. */
    @Override
    public int compareTo(MajorOutcome o) {
        int byMajor = Integer.compare(major, o.major);
        return byMajor != 0 ? byMajor : configurations.compareTo(o.configurations);
    }

    /** The short verdict of the compatibility table. */
    public String verdict() {
        if (masterBoots && replicaBoots && streams) {
            return "works";
        }
        return !masterBoots ? "master.conf rejected" : !replicaBoots ? "slave.conf rejected" : "does not stream";
    }

    /** What the errata record for a major the guide claims: {@code rejected: a, b} or {@code works}. */
    public String observed() {
        if (!unknownParameters.isEmpty()) {
            return "rejected: " + String.join(", ", unknownParameters);
        }
        return verdict();
    }
}
