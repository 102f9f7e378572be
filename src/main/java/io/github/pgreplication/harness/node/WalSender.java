package io.github.pgreplication.harness.node;

/** A row of the master's {@code pg_stat_replication}: one walsender, and what its standby reported. */
public record WalSender(int pid, String usename, String applicationName, String clientAddr, String state,
                        String syncState, String sentLsn, String writeLsn, String flushLsn, String replayLsn) {

    /** Streaming, with a replay position reported (until then replay_lsn is NULL, and so is every lag). */
    public boolean streamingWithReplay() {
        return "streaming".equals(state) && replayLsn != null;
    }
}
