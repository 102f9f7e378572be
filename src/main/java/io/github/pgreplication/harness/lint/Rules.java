package io.github.pgreplication.harness.lint;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.github.pgreplication.harness.guide.CronJobPrerequisites;
import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.guide.LoadedResource;
import io.github.pgreplication.harness.guide.PgConf;
import io.github.pgreplication.harness.guide.PgHba;
import io.github.pgreplication.harness.guide.RunSecrets;
import io.github.pgreplication.harness.lint.LintContext.At;
import io.github.pgreplication.harness.lint.LintContext.ServerFile;
import io.github.pgreplication.harness.lint.LintContext.Workload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The lint rules. Ids are stable: a rule that goes away leaves its id unused. */
public final class Rules {

    private Rules() {
    }

    public static List<LintRule> all() {
        return List.of(configMapRefs(), secretRefs(), serviceSelectors(), guideLabelSelectors(), sameMajor(), standbyParameters(),
                hotStandby(), walLevel(), hbaReplicationLine(), hbaTrust(), hbaOpen(), weakSecrets(), pinnedImages(),
                probesAndResources(), slotWithoutCap(), unknownParameters(), cronJobRunnable(), openShiftRunAsUser(),
                scriptSyntax(), secretInSql(), waitHidesErrors(), logCollector(), archiveOnEmptyDir(), replicaHba());
    }

    // ----- references ---------------------------------------------------------------------------------------

    static LintRule configMapRefs() {
        return new LintRule("PGR001", "configmap-reference", Severity.ERROR,
                "Every ConfigMap a pod mounts, every key behind a subPath, and every script a command runs from a "
                        + "ConfigMap mount must exist, or the pod never starts.",
                ctx -> {
                    List<At> out = new ArrayList<>();
                    for (Workload w : ctx.workloads()) {
                        Map<String, Volume> volumes = volumes(w);
                        for (Container c : w.allContainers()) {
                            for (VolumeMount m : Optional.ofNullable(c.getVolumeMounts()).orElse(List.of())) {
                                Volume v = volumes.get(m.getName());
                                String field = "containers[" + c.getName() + "].volumeMounts[" + m.getName() + "]";
                                if (v == null) {
                                    out.add(w.at(field, "mounts volume '" + m.getName() + "', which the pod does not define"));
                                    continue;
                                }
                                if (v.getConfigMap() == null) {
                                    continue;
                                }
                                Optional<ConfigMap> cm = ctx.configMap(v.getConfigMap().getName());
                                if (cm.isEmpty()) {
                                    out.add(w.at("volumes[" + v.getName() + "].configMap.name", "ConfigMap '"
                                            + v.getConfigMap().getName() + "' is not defined in the manifests"));
                                    continue;
                                }
                                Map<String, String> data = Optional.ofNullable(cm.get().getData()).orElse(Map.of());
                                if (m.getSubPath() != null && !m.getSubPath().isEmpty() && !data.containsKey(m.getSubPath())) {
                                    out.add(w.at(field + ".subPath", "ConfigMap '" + v.getConfigMap().getName()
                                            + "' has no key '" + m.getSubPath() + "' (keys: " + data.keySet() + ")"));
                                }
                                for (String word : commandWords(c)) {
                                    if (word.startsWith(m.getMountPath() + "/") && (m.getSubPath() == null || m.getSubPath().isEmpty())) {
                                        String key = word.substring(m.getMountPath().length() + 1);
                                        if (!data.containsKey(key)) {
                                            out.add(w.at("containers[" + c.getName() + "].command", "runs " + word
                                                    + " but ConfigMap '" + v.getConfigMap().getName() + "' has no key '" + key + "'"));
                                        }
                                    }
                                }
                            }
                        }
                    }
                    return out;
                });
    }

    static LintRule secretRefs() {
        return new LintRule("PGR002", "secret-reference", Severity.ERROR,
                "Every secretKeyRef must name a Secret and a key that exist, or the container cannot be created.",
                ctx -> {
                    List<At> out = new ArrayList<>();
                    for (Workload w : ctx.workloads()) {
                        for (Container c : w.allContainers()) {
                            for (EnvVar e : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
                                if (e.getValueFrom() == null || e.getValueFrom().getSecretKeyRef() == null) {
                                    continue;
                                }
                                String name = e.getValueFrom().getSecretKeyRef().getName();
                                String key = e.getValueFrom().getSecretKeyRef().getKey();
                                String field = "containers[" + c.getName() + "].env[" + e.getName() + "].valueFrom.secretKeyRef";
                                Optional<LoadedResource> s = ctx.manifests().find("Secret", name);
                                if (s.isEmpty()) {
                                    out.add(w.at(field, "Secret '" + name + "' is not defined in the manifests"));
                                } else if (!secretKeys((Secret) s.get().resource()).contains(key)) {
                                    out.add(w.at(field, "Secret '" + name + "' has no key '" + key + "' (keys: "
                                            + secretKeys((Secret) s.get().resource()) + ")"));
                                }
                            }
                        }
                    }
                    return out;
                });
    }

    static LintRule serviceSelectors() {
        return new LintRule("PGR003", "service-selector", Severity.ERROR,
                "A Service whose selector matches no pod template's labels has no endpoint: clients cannot connect.",
                ctx -> {
                    List<At> out = new ArrayList<>();
                    for (LoadedResource r : ctx.manifests().ofKind("Service")) {
                        Map<String, String> selector = ((Service) r.resource()).getSpec().getSelector();
                        if (selector == null || selector.isEmpty()) {
                            continue;
                        }
                        boolean matched = ctx.workloads().stream().anyMatch(w -> labels(w).entrySet().containsAll(selector.entrySet()));
                        if (!matched) {
                            out.add(at(r, "spec.selector", "selects " + selector + ", which no pod template's labels match"));
                        }
                    }
                    return out;
                });
    }

    private static final Pattern OC_SELECTOR = Pattern.compile("(?:oc|kubectl) [^\\n]*?-l ([\\w./-]+=[\\w.-]+(?:,[\\w./-]+=[\\w.-]+)*)");

    static LintRule guideLabelSelectors() {
        return new LintRule("PGR004", "guide-label-selector", Severity.ERROR,
                "The guide finds its pods with `oc get pods -l <selector>`; a selector no pod template matches makes "
                        + "MASTER_POD or SLAVE_POD empty and every later command fail.",
                ctx -> {
                    List<At> out = new ArrayList<>();
                    if (ctx.guide().isEmpty()) {
                        return out;
                    }
                    Set<String> seen = new java.util.TreeSet<>();
                    for (GuideDocument.CodeBlock b : ctx.guide().get().blocks()) {
                        Matcher m = OC_SELECTOR.matcher(b.text());
                        while (m.find()) {
                            String sel = m.group(1);
                            if (!seen.add(sel)) {
                                continue;
                            }
                            Map<String, String> wanted = new LinkedHashMap<>();
                            for (String kv : sel.split(",")) {
                                wanted.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                            }
                            if (ctx.workloads().stream().noneMatch(w -> labels(w).entrySet().containsAll(wanted.entrySet()))) {
                                out.add(new At(ctx.guide().get().file().getFileName().toString(), b.line(), "guide",
                                        "-l " + sel, "the guide's selector matches no pod template's labels"));
                            }
                        }
                    }
                    return out;
                });
    }

    // ----- replication --------------------------------------------------------------------------------------

    static LintRule sameMajor() {
        return new LintRule("PGR005", "same-major", Severity.ERROR,
                "Physical replication needs the same PostgreSQL major on both sides, init container included: "
                        + "pg_basebackup refuses a server of another major, and a standby cannot replay its WAL.",
                ctx -> {
                    List<At> out = new ArrayList<>();
                    Map<String, Integer> majors = new LinkedHashMap<>();
                    for (Workload w : ctx.workloads()) {
                        if (!w.longRunning()) {
                            continue;
                        }
                        for (Container c : w.allContainers()) {
                            major(c.getImage()).ifPresent(m -> majors.put(w.resource().ref() + " " + c.getName(), m));
                        }
                    }
                    if (majors.values().stream().distinct().count() > 1) {
                        Workload first = ctx.workloads().get(0);
                        out.add(new At(first.resource().file().getFileName().toString(), first.resource().line(),
                                first.resource().ref(), "containers[*].image", "PostgreSQL majors differ: " + majors));
                    }
                    return out;
                });
    }

    /** The parameters a hot standby must set at least as high as its primary, with their defaults. */
    static final Map<String, Long> STANDBY_MINIMUMS = Map.of("max_connections", 100L, "max_wal_senders", 10L,
            "max_worker_processes", 8L, "max_prepared_transactions", 0L, "max_locks_per_transaction", 64L);

    static LintRule standbyParameters() {
        return new LintRule("PGR006", "standby-parameters", Severity.ERROR,
                "A hot standby refuses to start when max_connections, max_wal_senders, max_worker_processes, "
                        + "max_prepared_transactions or max_locks_per_transaction is lower than on its primary.",
                ctx -> {
                    List<At> out = new ArrayList<>();
                    Optional<ServerFile> master = ctx.masterConf();
                    Optional<ServerFile> replica = ctx.replicaConf();
                    if (master.isEmpty() || replica.isEmpty()) {
                        return out;
                    }
                    PgConf m = PgConf.parse(master.get().text());
                    PgConf r = PgConf.parse(replica.get().text());
                    new java.util.TreeMap<>(STANDBY_MINIMUMS).forEach((name, def) -> {
                        long onMaster = m.integer(name, def);
                        long onReplica = r.integer(name, def);
                        if (onReplica < onMaster) {
                            out.add(replica.get().at(r.get(name).map(PgConf.Entry::line).orElse(0), name + " = " + onReplica
                                    + " on the replica, below the master's " + onMaster));
                        }
                    });
                    return out;
                });
    }

    static LintRule hotStandby() {
        return new LintRule("PGR007", "hot-standby", Severity.ERROR,
                "The guide's Test 2 and Test 4 read from the replica: hot_standby must not be off there.",
                ctx -> ctx.replicaConf().map(f -> {
                    Optional<PgConf.Entry> e = PgConf.parse(f.text()).get("hot_standby");
                    return e.filter(x -> isOff(x.value())).map(x -> List.of(f.at(x.line(), "hot_standby = " + x.value()
                            + ": the replica would refuse every connection"))).orElse(List.of());
                }).orElse(List.of()));
    }

    static LintRule walLevel() {
        return new LintRule("PGR008", "wal-level", Severity.ERROR,
                "Streaming replication needs wal_level = replica (or logical) on the master.",
                ctx -> ctx.masterConf().map(f -> {
                    Optional<PgConf.Entry> e = PgConf.parse(f.text()).get("wal_level");
                    return e.filter(x -> x.value().equalsIgnoreCase("minimal")).map(x -> List.of(f.at(x.line(),
                            "wal_level = minimal: no replica can stream"))).orElse(List.of());
                }).orElse(List.of()));
    }

    static LintRule hbaReplicationLine() {
        return new LintRule("PGR009", "hba-replication", Severity.ERROR,
                "pg_basebackup and the walreceiver connect to the pseudo-database `replication`, which `all` does not "
                        + "match: pg_hba.conf needs a host line for it and the replication user.",
                ctx -> ctx.masterHba().map(f -> {
                    String user = replicationUser(ctx);
                    boolean ok = PgHba.parse(f.text()).lines().stream().anyMatch(l -> l.isHost()
                            && List.of(l.database().split(",")).contains("replication")
                            && (l.user().equals("all") || List.of(l.user().split(",")).contains(user)));
                    return ok ? List.<At>of() : List.of(f.at(0, "no `host replication " + user + " <address> <method>` line"));
                }).orElse(List.of()));
    }

    static LintRule hbaTrust() {
        return new LintRule("PGR010", "hba-host-trust", Severity.ERROR,
                "`trust` on a host line lets anyone who reaches the port connect without a password.",
                ctx -> ctx.masterHba().map(f -> PgHba.parse(f.text()).lines().stream()
                        .filter(l -> l.isHost() && l.method().equalsIgnoreCase("trust"))
                        .map(l -> f.at(l.line(), "`" + l.type() + " " + l.database() + " " + l.user() + " " + l.address()
                                + " trust`")).toList()).orElse(List.of()));
    }

    static LintRule hbaOpen() {
        return new LintRule("PGR011", "hba-open-address", Severity.ERROR,
                "0.0.0.0/0, ::/0 or `all` as an address admits every network, far beyond the cluster's pods.",
                ctx -> ctx.masterHba().map(f -> PgHba.parse(f.text()).lines().stream()
                        .filter(l -> l.isHost() && Set.of("0.0.0.0/0", "::/0", "all", "0.0.0.0").contains(l.address()))
                        .map(l -> f.at(l.line(), "address " + l.address() + " admits every network")).toList())
                        .orElse(List.of()));
    }

    static final Set<String> WEAK = Set.of("password", "postgres", "changeme", "admin", "secret", "123456", "replicator");

    static LintRule weakSecrets() {
        return new LintRule("PGR012", "weak-secret", Severity.WARNING,
                "A placeholder must be replaced before `oc apply`, and a short or common password is guessed first.",
                ctx -> {
                    List<At> out = new ArrayList<>();
                    for (LoadedResource r : ctx.manifests().ofKind("Secret")) {
                        Secret s = (Secret) r.resource();
                        for (String key : secretKeys(s)) {
                            if (!key.toLowerCase(Locale.ROOT).contains("password")) {
                                continue; // a user name is not a secret
                            }
                            String v = ctx.manifests().secretValue(s.getMetadata().getName(), key);
                            if (RunSecrets.isPlaceholder(v)) {
                                out.add(at(r, "stringData." + key, "placeholder " + v + ": replace it with a strong random value"));
                            } else if (v.length() < 16 || WEAK.contains(v.toLowerCase(Locale.ROOT))) {
                                out.add(at(r, "stringData." + key, "weak value (" + v.length() + " characters)"));
                            }
                        }
                    }
                    return out;
                });
    }

    // ----- workloads ----------------------------------------------------------------------------------------

    static LintRule pinnedImages() {
        return new LintRule("PGR013", "image-tag", Severity.WARNING,
                "A floating tag (none, latest, or a bare major such as postgres:15) pulls another minor release on "
                        + "the next restart: master and replica can then run different builds.",
                ctx -> {
                    List<At> out = new ArrayList<>();
                    for (Workload w : ctx.workloads()) {
                        for (Container c : w.allContainers()) {
                            String image = c.getImage() == null ? "" : c.getImage();
                            if (image.contains("@sha256:")) {
                                continue;
                            }
                            String tag = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
                            if (tag.isEmpty() || tag.equals("latest") || tag.matches("\\d+")) {
                                out.add(w.at("containers[" + c.getName() + "].image", image + ": floating tag; pin a "
                                        + "minor release (postgres:15.8) or a digest"));
                            }
                        }
                    }
                    return out;
                });
    }

    static LintRule probesAndResources() {
        return new LintRule("PGR014", "probes-resources", Severity.WARNING,
                "A long-running database container needs a readiness probe (Services route only to ready pods), a "
                        + "liveness probe, and memory limits (or one pod can starve the node).",
                ctx -> {
                    List<At> out = new ArrayList<>();
                    for (Workload w : ctx.workloads()) {
                        if (!w.longRunning()) {
                            continue;
                        }
                        for (Container c : Optional.ofNullable(w.template().getSpec().getContainers()).orElse(List.of())) {
                            List<String> missing = new ArrayList<>();
                            if (c.getReadinessProbe() == null) {
                                missing.add("readinessProbe");
                            }
                            if (c.getLivenessProbe() == null) {
                                missing.add("livenessProbe");
                            }
                            if (c.getResources() == null || c.getResources().getLimits() == null
                                    || !c.getResources().getLimits().containsKey("memory")) {
                                missing.add("resources.limits.memory");
                            }
                            if (!missing.isEmpty()) {
                                out.add(w.at("containers[" + c.getName() + "]", "no " + String.join(", ", missing)));
                            }
                        }
                    }
                    return out;
                });
    }

    static LintRule slotWithoutCap() {
        return new LintRule("PGR015", "slot-without-wal-cap", Severity.ERROR,
                "A replication slot whose replica is gone retains WAL until the master's disk is full (the guide's own "
                        + "« Slot de réplication sature le disque »): max_slot_wal_keep_size caps it.",
                ctx -> {
                    boolean slot = ctx.scripts().stream().anyMatch(s -> s.text().contains("pg_create_physical_replication_slot")
                            || (s.text().contains("pg_basebackup") && s.text().matches("(?s).*\\s(-S|--slot)[ =].*")));
                    Optional<ServerFile> master = ctx.masterConf();
                    if (!slot || master.isEmpty()) {
                        return List.of();
                    }
                    Optional<PgConf.Entry> cap = PgConf.parse(master.get().text()).get("max_slot_wal_keep_size");
                    if (cap.isEmpty() || cap.get().value().trim().equals("-1")) {
                        return List.of(master.get().at(cap.map(PgConf.Entry::line).orElse(0),
                                "a replication slot is used and max_slot_wal_keep_size is unlimited"));
                    }
                    return List.of();
                });
    }

    static LintRule unknownParameters() {
        return new LintRule("PGR016", "unknown-parameter", Severity.ERROR,
                "A parameter the target major does not know (renamed, removed, or not yet added) stops the server at "
                        + "start: \"unrecognized configuration parameter\".",
                ctx -> {
                    List<At> out = new ArrayList<>();
                    if (ctx.knownParameters().isEmpty()) {
                        return out;
                    }
                    Set<String> known = ctx.knownParameters().get();
                    List<ServerFile> files = new ArrayList<>();
                    ctx.masterConf().ifPresent(files::add);
                    ctx.replicaConf().ifPresent(files::add);
                    for (ServerFile f : files) {
                        for (PgConf.Entry e : PgConf.parse(f.text()).unknownTo(known)) {
                            out.add(f.at(e.line(), e.name() + " is not a parameter of PostgreSQL " + ctx.targetMajor()));
                        }
                    }
                    return out;
                });
    }

    static LintRule cronJobRunnable() {
        return new LintRule("PGR017", "cronjob-runnable", Severity.ERROR,
                "A CronJob must name a ServiceAccount that exists, hold the rights its commands need, and run an image "
                        + "that has those commands (a postgres image has psql, not kubectl).",
                ctx -> {
                    List<At> out = new ArrayList<>();
                    for (Workload w : ctx.workloads()) {
                        if (!w.resource().kind().equals("CronJob")) {
                            continue;
                        }
                        List<String> scripts = w.allContainers().stream().map(c -> String.join("\n", commandWords(c))).toList();
                        for (String missing : CronJobPrerequisites.missing(ctx.manifests(), w.template(),
                                String.join("\n", scripts))) {
                            out.add(w.at(missing.startsWith("ServiceAccount") ? "serviceAccountName" : "containers[*].command",
                                    missing));
                        }
                        for (Container c : w.allContainers()) {
                            String script = String.join("\n", commandWords(c));
                            boolean kubectl = script.matches("(?s).*\\b(kubectl|oc) (get|exec)\\b.*");
                            boolean postgresImage = c.getImage() != null && c.getImage().matches("(.*/)?postgres(:.*)?");
                            if (kubectl && postgresImage) {
                                out.add(w.at("containers[" + c.getName() + "].image", c.getImage()
                                        + " has no kubectl/oc, which the script calls"));
                            }
                        }
                    }
                    return out;
                });
    }

    static LintRule openShiftRunAsUser() {
        return new LintRule("PGR018", "openshift-run-as-user", Severity.WARNING,
                "Under OpenShift's restricted SCC a pod runs with a UID from the namespace's range; a forced runAsUser "
                        + "(the official image's 999, or 0) is refused at admission.",
                ctx -> {
                    List<At> out = new ArrayList<>();
                    for (Workload w : ctx.workloads()) {
                        PodSecurityContext psc = w.template().getSpec().getSecurityContext();
                        if (psc != null && psc.getRunAsUser() != null) {
                            out.add(w.at("securityContext.runAsUser", "runAsUser " + psc.getRunAsUser()));
                        }
                        for (Container c : w.allContainers()) {
                            if (c.getSecurityContext() != null && c.getSecurityContext().getRunAsUser() != null) {
                                out.add(w.at("containers[" + c.getName() + "].securityContext.runAsUser",
                                        "runAsUser " + c.getSecurityContext().getRunAsUser()));
                            }
                        }
                    }
                    return out;
                });
    }

    static LintRule scriptSyntax() {
        return new LintRule("PGR019", "script-syntax", Severity.ERROR,
                "A shell script in a ConfigMap is checked with `bash -n`: a syntax error (an unterminated heredoc, "
                        + "say) stops it before its first command.",
                ctx -> {
                    List<At> out = new ArrayList<>();
                    for (ServerFile s : ctx.scripts()) {
                        String error = bashSyntaxError(s.text());
                        if (error != null) {
                            out.add(s.at(0, "bash -n: " + error));
                        }
                    }
                    return out;
                });
    }

    static final Pattern QUOTED_EXPANSION = Pattern.compile("'\\$\\{?[A-Za-z_][A-Za-z0-9_]*\\}?'");

    static LintRule secretInSql() {
        return new LintRule("PGR020", "secret-in-sql", Severity.ERROR,
                "A script pastes a variable between single quotes into the SQL psql runs: a quote in the value ends the "
                        + "string (a syntax error, or a rewritten statement), and the statement is logged with it. Pass "
                        + "it as a psql variable (`--set v=\"$V\"`, then `:'v'`).",
                ctx -> {
                    List<At> out = new ArrayList<>();
                    for (ServerFile s : ctx.scripts()) {
                        if (!s.text().contains("psql")) {
                            continue;
                        }
                        String[] lines = s.text().split("\n", -1);
                        for (int i = 0; i < lines.length; i++) {
                            Matcher m = QUOTED_EXPANSION.matcher(lines[i]);
                            if (m.find() && !lines[i].trim().startsWith("#")) {
                                out.add(s.at(i + 1, m.group() + " pasted into SQL"));
                            }
                        }
                    }
                    return out;
                });
    }

    static LintRule waitHidesErrors() {
        return new LintRule("PGR021", "wait-hides-errors", Severity.ERROR,
                "A wait loop that logs in with psql and discards its errors (`until psql … 2>/dev/null`) takes a refused "
                        + "password for a server that is down, and waits for ever. `pg_isready` needs no login.",
                ctx -> {
                    List<At> out = new ArrayList<>();
                    Pattern loop = Pattern.compile("^\\s*(until|while)\\b.*\\bpsql\\b.*2>\\s*/dev/null");
                    for (ServerFile s : ctx.scripts()) {
                        String[] lines = s.text().split("\n", -1);
                        for (int i = 0; i < lines.length; i++) {
                            if (loop.matcher(lines[i]).find()) {
                                out.add(s.at(i + 1, "a psql login with its errors discarded decides when to stop waiting"));
                            }
                        }
                    }
                    return out;
                });
    }

    static LintRule logCollector() {
        return new LintRule("PGR022", "log-collector-in-pod", Severity.ERROR,
                "logging_collector = on in a container's configuration sends the server's messages to files in its data "
                        + "directory: `oc logs` and the cluster's logging see none of them.",
                ctx -> {
                    List<At> out = new ArrayList<>();
                    for (ServerFile f : ctx.serverFiles("config_file")) {
                        PgConf.parse(f.text()).get("logging_collector").filter(e -> !isOff(e.value()))
                                .ifPresent(e -> out.add(f.at(e.line(), "logging_collector = " + e.value().trim())));
                    }
                    return out;
                });
    }

    static LintRule archiveOnEmptyDir() {
        return new LintRule("PGR023", "archive-on-emptydir", Severity.ERROR,
                "archive_command copies WAL into an emptyDir: the archive is lost whenever the pod is recreated, and "
                        + "nothing prunes it meanwhile.",
                ctx -> {
                    List<At> out = new ArrayList<>();
                    for (ServerFile f : ctx.serverFiles("config_file")) {
                        Map<String, PgConf.Entry> conf = PgConf.parse(f.text()).entries();
                        PgConf.Entry mode = conf.get("archive_mode");
                        PgConf.Entry command = conf.get("archive_command");
                        if (mode == null || isOff(mode.value()) || command == null || f.workload() == null) {
                            continue;
                        }
                        Map<String, Volume> volumes = volumes(f.workload());
                        for (Container c : f.workload().allContainers()) {
                            for (VolumeMount vm : Optional.ofNullable(c.getVolumeMounts()).orElse(List.of())) {
                                Volume v = volumes.get(vm.getName());
                                if (v != null && v.getEmptyDir() != null && command.value().contains(vm.getMountPath() + "/")) {
                                    out.add(f.at(command.line(), "archive_command writes to " + vm.getMountPath()
                                            + ", the emptyDir `" + vm.getName() + "`"));
                                }
                            }
                        }
                    }
                    return out;
                });
    }

    static LintRule replicaHba() {
        return new LintRule("PGR024", "replica-hba", Severity.ERROR,
                "The master reads the guide's pg_hba.conf (hba_file) and the replica does not: it reads the copy of the "
                        + "master's data directory, the image's default, which admits every address.",
                ctx -> {
                    Optional<ServerFile> replica = ctx.replicaConf();
                    if (replica.isEmpty() || ctx.masterHba().isEmpty()) {
                        return List.of();
                    }
                    boolean own = ctx.serverFiles("hba_file").stream()
                            .anyMatch(f -> f.workload().resource().kind().equals("Deployment"));
                    return own ? List.<At>of() : List.of(replica.get().workload().at("containers.args",
                            "the master has hba_file, the replica none: it reads the pg_hba.conf pg_basebackup copied"));
                });
    }

    // ----- helpers ------------------------------------------------------------------------------------------

    private static At at(LoadedResource r, String field, String message) {
        return new At(r.file().getFileName().toString(), r.line(), r.ref(), field, message);
    }

    private static Map<String, Volume> volumes(Workload w) {
        Map<String, Volume> out = new LinkedHashMap<>();
        Optional.ofNullable(w.template().getSpec().getVolumes()).orElse(List.of()).forEach(v -> out.put(v.getName(), v));
        return out;
    }

    private static Map<String, String> labels(Workload w) {
        return w.template().getMetadata() == null || w.template().getMetadata().getLabels() == null ? Map.of()
                : w.template().getMetadata().getLabels();
    }

    private static List<String> commandWords(Container c) {
        List<String> words = new ArrayList<>();
        Optional.ofNullable(c.getCommand()).ifPresent(words::addAll);
        Optional.ofNullable(c.getArgs()).ifPresent(words::addAll);
        return words;
    }

    private static Set<String> secretKeys(Secret s) {
        Set<String> keys = new java.util.TreeSet<>();
        Optional.ofNullable(s.getStringData()).ifPresent(m -> keys.addAll(m.keySet()));
        Optional.ofNullable(s.getData()).ifPresent(m -> keys.addAll(m.keySet()));
        return keys;
    }

    static Optional<Integer> major(String image) {
        if (image == null || !image.contains(":")) {
            return Optional.empty();
        }
        Matcher m = Pattern.compile("^(\\d+)").matcher(image.substring(image.lastIndexOf(':') + 1));
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    private static boolean isOff(String v) {
        return Set.of("off", "false", "no", "0").contains(v.trim().toLowerCase(Locale.ROOT));
    }

    /** The user of the replica's pg_basebackup {@code -U}, else {@code replicator}. */
    static String replicationUser(LintContext ctx) {
        for (ServerFile s : ctx.scripts()) {
            Matcher m = Pattern.compile("pg_basebackup[\\s\\S]*?-U\\s+(\\w+)").matcher(s.text());
            if (m.find()) {
                return m.group(1);
            }
        }
        return "replicator";
    }

    /** {@code bash -n} of a script: null when it parses, else bash's message. */
    static String bashSyntaxError(String script) {
        Path f = null;
        try {
            f = Files.createTempFile("pgrh-lint-", ".sh");
            Files.writeString(f, script, StandardCharsets.UTF_8);
            Process p = new ProcessBuilder("bash", "-n", f.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "bash -n did not finish";
            }
            return p.exitValue() == 0 ? null : out.replace(f.toString(), "script").strip().replace("\n", " / ");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run bash -n", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            if (f != null) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // a temp file
                }
            }
        }
    }
}
