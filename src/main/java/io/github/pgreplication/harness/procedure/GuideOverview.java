package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.probes.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guide's « Vue d'ensemble »: its architecture diagram names a Service for reads and writes and one for reads
 * only, with the applications behind each. Each is checked on the pair: the Service of that name exists and
 * routes to a server that writes (RW) or that is in recovery (RO).
 */
public final class GuideOverview {

    /** A box of the diagram: « Service Master (RW) » over « postgresql-master ». */
    private static final Pattern SERVICE_BOX = Pattern.compile("Service (\\S+) \\((RW|RO)\\)");

    /** A Service the diagram draws: its caption, the name under it, and whether it takes writes. */
    public record DrawnService(String caption, String name, boolean readWrite) {
    }

    /** What a drawn Service was on the pair: the name that was reached, and whether the server there is in recovery. */
    public record Route(DrawnService drawn, String reached, boolean inRecovery) {
    }

    private final GuidePair pair;
    private final RunContext context;

    public GuideOverview(GuidePair pair, RunContext context) {
        this.context = context;
        this.pair = pair;
    }

    /** The Services of the diagram, read from the guide. */
    public static List<DrawnService> drawnServices(GuideDocument guide) {
        List<DrawnService> out = new ArrayList<>();
        for (GuideDocument.CodeBlock b : guide.blocks()) {
            if (!b.step().equals("overview")) {
                continue;
            }
            String[] lines = b.text().split("\n");
            for (int i = 0; i + 1 < lines.length; i++) {
                Matcher m = SERVICE_BOX.matcher(lines[i]);
                if (m.find()) {
                    String name = lines[i + 1].replaceAll("[│|└┘┌┐─▼]", " ").strip();
                    out.add(new DrawnService("Service " + m.group(1) + " (" + m.group(2) + ")", name, m.group(2).equals("RW")));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("the guide's « Vue d'ensemble » draws no « Service … (RW|RO) » box");
        }
        return out;
    }

    /** The Service the diagram draws with that caption (« Service Master (RW) »); an error when it draws none. */
    public static DrawnService drawnService(GuideDocument guide, String caption) {
        return drawnServices(guide).stream().filter(d -> d.caption().equals(caption)).findFirst()
                .orElseThrow(() -> new AssertionError("the guide's overview draws no « " + caption + " »"));
    }

    /**
     * Erratum check: the drawn Service, by its name, reaches a server that takes writes (RW) or one in recovery (RO).
     * Where no Service has the drawn name, the one the manifests give that role is reached instead.
     */
    public Route route(DrawnService drawn) {
        String item = "guide-text#overview/" + drawn.caption();
        String name = teamName(drawn.name());
        return context.ledger().verbatim(item, () -> {
            try {
                pair.backend().service(name);
            } catch (RuntimeException e) {
                throw Deviation.result(item, "a Service " + drawn.name(), "no Service " + drawn.name()).raise();
            }
            return reach(drawn, name);
        }, () -> reach(drawn, drawn.readWrite() ? pair.names().masterService() : pair.names().replicaService()));
    }

    private Route reach(DrawnService drawn, String service) {
        try (Connection c = pair.connectThrough(service)) {
            boolean recovery = (Boolean) Sql.scalar(c, "SELECT pg_is_in_recovery()");
            return new Route(drawn, service, recovery);
        } catch (SQLException e) {
            throw new AssertionError("« Vue d'ensemble », " + drawn.caption() + ": no connection through the Service "
                    + service + ": SQLSTATE " + e.getSQLState() + " " + e.getMessage(), e);
        }
    }

    /** A name of the guide spelt as the manifests under test spell it (a team may rename the Services). */
    private String teamName(String guideName) {
        for (Map.Entry<GuideNames.Role, String> e : pair.manifests().guideNames().all().entrySet()) {
            if (e.getValue().equals(guideName)) {
                return pair.names().get(e.getKey());
            }
        }
        return guideName;
    }
}
