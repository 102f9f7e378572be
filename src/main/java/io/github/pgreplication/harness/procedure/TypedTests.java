package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.guide.GuideDocument;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Phase 4's Test 1 and Test 3 as their reader types them: each block run as written in bash, where {@code oc} is the
 * cluster's (or the backend's own), {@code MASTER_POD} and {@code SLAVE_POD} set by the guide's own lines of Étapes 3.1
 * and 2.5, and what each block did checked on the servers: the rows its heredoc writes on the master, what the
 * replica's {@code oc exec} prints. The JDBC scenarios check the guide's intent; these check what its commands do.
 */
public final class TypedTests {

    /** The errata item of Phase 4's heredocs given to {@code oc exec} (erratum E31). */
    public static final String HEREDOC = "guide-text#phase-4/oc-exec-heredoc";
    /** What a heredoc block did when psql got none of it. */
    public static final String NOTHING_WRITTEN = "nothing written on the master, exit status 0";
    private static final String TABLE = "test_replication";

    /**
     * One test as typed: the rows of the table on the master before and after its heredoc block (as written, or as
     * corrected where E31 reproduced), and the run of its check block on the replica.
     */
    public record Typed(String step, long before, long after, ClusterCommands.SectionRun write,
                        ClusterCommands.SectionRun check) {
        public long written() {
            return after - before;
        }
    }

    private final GuidePair pair;
    private final RunContext context;
    private final ClusterCommands commands;

    public TypedTests(GuidePair pair, RunContext context) {
        this.pair = pair;
        this.context = context;
        this.commands = new ClusterCommands(pair, context);
    }

    /** Test 1: its heredoc writes 3 rows on the master; then its own block on the replica selects them. */
    public Typed test1() {
        return typed("4.1", 3, b -> b.text().contains("SELECT * FROM " + TABLE));
    }

    /** Test 3: its heredoc writes 10,000 rows on the master; once the replica has caught up, its COUNT(*) there. */
    public Typed test3() {
        return typed("4.3", 10_000, b -> b.text().contains("COUNT(*)"));
    }

    /**
     * Test 2 as typed: its {@code oc exec $SLAVE_POD -- psql -U postgres -c "INSERT …"}, with {@code SLAVE_POD} set by
     * Étape 2.5's own line, and the rows of the table on the replica before and after (the INSERT must change nothing).
     */
    public record ReadOnly(ClusterCommands.CommandRun insert, long before, long after) {
    }

    /** Runs Test 2's block as written: the table of Test 1 must exist on the replica. */
    public ReadOnly test2() {
        long before = replicaRows();
        ClusterCommands.CommandRun insert = commands.run("4.2", b -> b.text().contains("INSERT"), Map.of(),
                List.of(commands.slavePodLine()), UnaryOperator.identity()).command("oc exec $SLAVE_POD");
        return new ReadOnly(insert, before, replicaRows());
    }

    private long replicaRows() {
        return Long.parseLong(pair.replicaNode().safeSql("SELECT count(*) FROM " + TABLE));
    }

    private Typed typed(String step, long rows, Predicate<GuideDocument.CodeBlock> checkBlock) {
        List<String> pods = List.of(commands.masterPodLine(), commands.slavePodLine());
        context.evidence().adaptation("Phase 4's blocks as typed: `MASTER_POD` and `SLAVE_POD` set first by the guide's own "
                + "lines of Étapes 3.1 and 2.5, as a reader who followed the guide has them in the shell.");
        long before = rows();
        Predicate<GuideDocument.CodeBlock> heredoc = b -> b.text().contains("<<EOF");
        context.evidence().executed(HEREDOC);
        ClusterCommands.SectionRun write = context.ledger().verbatim(HEREDOC, () -> {
            ClusterCommands.SectionRun r = commands.run(step, heredoc, Map.of(), pods, UnaryOperator.identity());
            long added = rows() - before;
            if (added != rows) {
                throw Deviation.result(HEREDOC, rows + " rows more in " + TABLE + " on the master", added == 0
                        && r.commands().stream().allMatch(ClusterCommands.CommandRun::succeeded) ? NOTHING_WRITTEN
                        : added + " rows more; " + r.commands()).raise();
            }
            return r;
        }, () -> {
            String from = "oc exec $MASTER_POD ";
            String to = "oc exec -i $MASTER_POD ";
            context.ledger().catalog().requireCorrection(HEREDOC, to.strip());
            ClusterCommands.SectionRun r = commands.run(step, heredoc, Map.of(), pods, line -> line.replace(from, to));
            long added = rows() - before;
            if (added != rows) {
                throw new AssertionError("the corrected block (`" + to.strip() + "`) wrote " + added + " rows, not " + rows
                        + ": " + r.commands());
            }
            return r;
        });
        long after = rows();
        pair.masterNode().waitForCatchup(pair.replicaNode(), pair.masterNode().lsn(), "Test " + step.substring(2)
                + "'s rows replayed on the replica", Duration.ofSeconds(30));
        ClusterCommands.SectionRun check = commands.run(step, checkBlock, Map.of(), pods, UnaryOperator.identity());
        return new Typed(step, before, after, write, check);
    }

    /** The rows of the guide's table on the master (0 while it does not exist). */
    private long rows() {
        if (pair.masterNode().safeSql("SELECT to_regclass('public." + TABLE + "')::text") == null) {
            return 0;
        }
        return Long.parseLong(pair.masterNode().safeSql("SELECT count(*) FROM " + TABLE));
    }
}
