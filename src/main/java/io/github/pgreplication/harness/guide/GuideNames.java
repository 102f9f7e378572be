package io.github.pgreplication.harness.guide;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every name the guide gives a thing, as one manifests directory spells it. None is taken for granted: each
 * is found from the structure the guide describes (the Service the replica's {@code MASTER_SERVICE} names, the
 * ConfigMap mounted where {@code config_file} points, the slot of setup-slave.sh's {@code pg_basebackup -S},
 * ...). So a team's manifests that rename things consistently certify, the features keep the guide's names,
 * and {@link #resolve} maps one to the other (the report lists both).
 */
public final class GuideNames {

    /** What a name names, and the word the features use for its kind. */
    public enum Role {
        MASTER_POD("pod", "the master (DeploymentConfig)"),
        REPLICA_POD("pod", "the replica (Deployment)"),
        MASTER_SERVICE("Service", "the master's Service"),
        REPLICA_SERVICE("Service", "the replica's Service"),
        INIT_CONTAINER("container", "the replica's init container"),
        REPLICA_CLAIM("PVC", "the replica's claim"),
        MASTER_CONFIG("ConfigMap", "the master's configuration"),
        MASTER_INIT("ConfigMap", "the master's init script"),
        REPLICA_CONFIG("ConfigMap", "the replica's configuration and setup script"),
        REPLICATION_SECRET("Secret", "the replication Secret"),
        ADMIN_SECRET("Secret", "the superuser's Secret"),
        REPLICATION_ROLE("role", "the replication role"),
        SLOT("slot", "the replication slot"),
        MONITORING_QUERIES("ConfigMap", "the monitoring queries"),
        MONITORING_CRONJOB("CronJob", "the monitoring CronJob"),
        ALERTS("PrometheusRule", "the replication alerts");

        private final String kind;
        private final String meaning;

        Role(String kind, String meaning) {
            this.kind = kind;
            this.meaning = meaning;
        }

        public String kind() {
            return kind;
        }

        public String meaning() {
            return meaning;
        }
    }

    /** A name of the features resolved: its role and the name the manifests under test give it. */
    public record Named(Role role, String guideName, String name) {

        /** This name, if it names {@code expected}; otherwise an error saying what it names instead. */
        public Named as(Role expected) {
            if (role != expected) {
                throw new IllegalArgumentException("\"" + guideName + "\" is " + role.meaning() + ", not "
                        + expected.meaning());
            }
            return this;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final Pattern BASEBACKUP = Pattern.compile("pg_basebackup(?:\\\\\\n|[^\\n])*");
    private static final Pattern SLOT_CREATE = Pattern.compile("pg_create_physical_replication_slot\\('([^']+)'");
    private static final Pattern ROLE_CREATE = Pattern.compile("CREATE (?:USER|ROLE)\\s+\"?(\\w+)\"?", Pattern.CASE_INSENSITIVE);

    private final Map<Role, String> names;
    private final String source;

    private GuideNames(Map<Role, String> names, String source) {
        this.names = names;
        this.source = source;
    }

    /** The names of a manifests directory, found from its structure; a clear error for what cannot be found. */
    public static GuideNames of(GuideModel model) {
        Map<Role, String> n = new EnumMap<>(Role.class);
        LoadedResource dc = model.masterDeploymentConfig();
        LoadedResource deployment = model.replicaDeployment();
        n.put(Role.MASTER_POD, dc.name());
        n.put(Role.REPLICA_POD, deployment.name());
        n.put(Role.MASTER_SERVICE, model.masterServiceName());
        n.put(Role.REPLICA_SERVICE, model.replicaService().getMetadata().getName());
        Container init = model.replicaInitContainer();
        n.put(Role.INIT_CONTAINER, init.getName());
        PodTemplateSpec master = model.masterTemplate();
        Container masterMain = master.getSpec().getContainers().get(0);
        PodTemplateSpec replica = model.replicaTemplate();
        Container replicaMain = replica.getSpec().getContainers().get(0);
        n.put(Role.REPLICA_CLAIM, claim(deployment, replica, init));
        ImageContract masterImage = ImageContract.of(masterMain.getImage());
        // master.conf: the server's config_file (the guide's), or a file of the image's own configuration directory
        // (the sclorg image's postgresql-cfg/, which its configuration includes).
        String configFile = argPath(masterMain, "config_file");
        n.put(Role.MASTER_CONFIG, configFile == null && masterImage.configDirectory().isPresent()
                ? configMapUnder(dc, master, masterMain, List.of(masterImage.configDirectory().get()),
                        "master.conf (no `-c config_file=<path>` in args)")
                : configMapAt(dc, master, masterMain, configFile));
        n.put(Role.MASTER_INIT, configMapUnder(dc, master, masterMain, ImageContract.scriptDirectories(), "the init script"));
        n.put(Role.REPLICA_CONFIG, configMapAt(deployment, replica, replicaMain, argPath(replicaMain, "config_file")));
        n.put(Role.REPLICATION_SECRET, secretOf(dc, masterMain, "REPLICATION_PASSWORD").getName());
        n.put(Role.ADMIN_SECRET, secretOf(dc, masterMain, masterImage.superuserPasswordEnv()).getName());
        String setup = model.manifests().configMapValue(n.get(Role.REPLICA_CONFIG), setupScriptKey(deployment, init));
        String basebackup = basebackup(deployment, setup);
        n.put(Role.REPLICATION_ROLE, option(deployment, basebackup, "-U", "the replication role (pg_basebackup -U)"));
        n.put(Role.SLOT, option(deployment, basebackup, "-S", "the replication slot (pg_basebackup -S)"));
        single(model, "ConfigMap", "replication-status.sql").ifPresent(v -> n.put(Role.MONITORING_QUERIES, v));
        single(model, "CronJob", null).ifPresent(v -> n.put(Role.MONITORING_CRONJOB, v));
        single(model, "PrometheusRule", null).ifPresent(v -> n.put(Role.ALERTS, v));
        return new GuideNames(n, model.manifests().dir().toString());
    }

    /** The manifests directory these names come from. */
    public java.nio.file.Path dir() {
        return java.nio.file.Path.of(source);
    }

    public String get(Role role) {
        String v = names.get(role);
        if (v == null) {
            throw new ManifestException(java.nio.file.Path.of(source), role.kind(), null,
                    "defines no " + role.meaning());
        }
        return v;
    }

    public String masterPod() {
        return get(Role.MASTER_POD);
    }

    public String replicaPod() {
        return get(Role.REPLICA_POD);
    }

    public String masterService() {
        return get(Role.MASTER_SERVICE);
    }

    public String replicaService() {
        return get(Role.REPLICA_SERVICE);
    }

    public String slot() {
        return get(Role.SLOT);
    }

    public String replicationRole() {
        return get(Role.REPLICATION_ROLE);
    }

    /** The roles this directory names. */
    public Map<Role, String> all() {
        return new LinkedHashMap<>(names);
    }

    /**
     * A name the features use, resolved against these (the manifests') names and the guide's: {@code kind} is
     * the word of the feature (pod, Service, Secret, ...). The name must be the guide's or the manifests' name of
     * a thing of that kind; the error lists what exists.
     */
    public Named resolve(String kind, String text, GuideNames guide) {
        List<String> known = new ArrayList<>();
        for (Role r : Role.values()) {
            if (!r.kind().equalsIgnoreCase(kind) || !names.containsKey(r)) {
                continue;
            }
            String mine = names.get(r);
            String theirs = guide.names.get(r);
            if (text.equals(mine) || text.equals(theirs)) {
                return new Named(r, theirs == null ? mine : theirs, mine);
            }
            known.add("\"" + (theirs == null ? mine : theirs) + "\"" + (theirs != null && !theirs.equals(mine)
                    ? " (here \"" + mine + "\")" : "") + " = " + r.meaning());
        }
        throw new IllegalArgumentException("no " + kind + " \"" + text + "\" in the guide or in the manifests under test ("
                + source + "); the " + kind + "s are: " + (known.isEmpty() ? "none" : String.join(", ", known)));
    }

    /**
     * The guide's own SQL, with the guide's names of roles and slots (quoted literals) replaced by the manifests'
     * ones: the only change, listed in the report, that lets the guide's queries run on renamed manifests.
     */
    public String adaptSql(String sql, GuideNames guide) {
        String out = sql;
        for (Role r : List.of(Role.SLOT, Role.REPLICATION_ROLE)) {
            String theirs = guide.names.get(r);
            String mine = names.get(r);
            if (theirs != null && mine != null && !theirs.equals(mine)) {
                out = out.replace("'" + theirs + "'", "'" + mine + "'");
            }
        }
        return out;
    }

    /** A text with these names spelled as the guide's (longest first, so no name is replaced inside another). */
    public String toGuide(String text, GuideNames guide) {
        List<Map.Entry<Role, String>> mine = new ArrayList<>(names.entrySet());
        mine.sort((a, b) -> b.getValue().length() - a.getValue().length());
        String out = text;
        for (Map.Entry<Role, String> e : mine) {
            String theirs = guide.names.get(e.getKey());
            if (theirs != null && !theirs.equals(e.getValue())) {
                out = out.replace(e.getValue(), theirs);
            }
        }
        return out;
    }

    /**
     * The guide's name of each object (not the SQL role or slot, which {@link #adaptSql} handles) mapped to these names,
     * where they differ: what the guide's commands must name to reach these objects ({@code oc get pods -l name=…}).
     */
    public Map<String, String> objectsFrom(GuideNames guide) {
        Map<String, String> out = new LinkedHashMap<>();
        names.forEach((r, mine) -> {
            String theirs = guide.names.get(r);
            if (theirs != null && !theirs.equals(mine) && r != Role.SLOT && r != Role.REPLICATION_ROLE) {
                out.put(theirs, mine);
            }
        });
        return out;
    }

    /** Each role whose name differs from the guide's, as "the guide's → these", for the report. */
    public List<String> renamedFrom(GuideNames guide) {
        List<String> out = new ArrayList<>();
        names.forEach((r, mine) -> {
            String theirs = guide.names.get(r);
            if (theirs != null && !theirs.equals(mine)) {
                out.add(r.meaning() + ": `" + theirs + "` → `" + mine + "`");
            }
        });
        return out;
    }

    // ----- finding each name from the structure ---------------------------------------------------------------

    private static String argPath(Container c, String parameter) {
        List<String> args = Optional.ofNullable(c.getArgs()).orElse(List.of());
        for (String a : args) {
            if (a.startsWith(parameter + "=")) {
                return a.substring(parameter.length() + 1);
            }
        }
        return null;
    }

    private static String configMapAt(LoadedResource owner, PodTemplateSpec t, Container c, String path) {
        if (path == null) {
            throw new ManifestException(owner.file(), owner.ref() + " container " + c.getName(), "args",
                    "expected `-c config_file=<path>` (the guide's configuration mounted from a ConfigMap)");
        }
        for (VolumeMount m : Optional.ofNullable(c.getVolumeMounts()).orElse(List.of())) {
            if (path.equals(m.getMountPath()) || path.startsWith(m.getMountPath() + "/")) {
                return configMapOf(owner, t, m);
            }
        }
        throw new ManifestException(owner.file(), owner.ref() + " container " + c.getName(), "volumeMounts",
                "nothing is mounted at config_file's " + path);
    }

    private static String configMapUnder(LoadedResource owner, PodTemplateSpec t, Container c, List<String> dirs,
                                         String what) {
        for (VolumeMount m : Optional.ofNullable(c.getVolumeMounts()).orElse(List.of())) {
            if (dirs.stream().anyMatch(dir -> m.getMountPath().equals(dir) || m.getMountPath().startsWith(dir + "/"))) {
                return configMapOf(owner, t, m);
            }
        }
        throw new ManifestException(owner.file(), owner.ref() + " container " + c.getName(), "volumeMounts",
                "expected " + what + " mounted under one of " + dirs + " (Étape 1.5)");
    }

    private static String configMapOf(LoadedResource owner, PodTemplateSpec t, VolumeMount m) {
        Volume v = t.getSpec().getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst()
                .orElseThrow(() -> new ManifestException(owner.file(), owner.ref(), "volumeMounts." + m.getName(),
                        "mounts a volume the pod template does not define"));
        if (v.getConfigMap() == null) {
            throw new ManifestException(owner.file(), owner.ref(), "volumes." + v.getName(),
                    "expected a configMap volume at " + m.getMountPath());
        }
        return v.getConfigMap().getName();
    }

    private static String claim(LoadedResource owner, PodTemplateSpec t, Container c) {
        for (VolumeMount m : Optional.ofNullable(c.getVolumeMounts()).orElse(List.of())) {
            Optional<Volume> v = t.getSpec().getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst();
            if (v.isPresent() && v.get().getPersistentVolumeClaim() != null) {
                return v.get().getPersistentVolumeClaim().getClaimName();
            }
        }
        throw new ManifestException(owner.file(), owner.ref() + " container " + c.getName(), "volumeMounts",
                "expected the replica's PersistentVolumeClaim (Étape 2.1) mounted in the init container");
    }

    private static SecretKeySelector secretOf(LoadedResource owner, Container c, String env) {
        return Optional.ofNullable(c.getEnv()).orElse(List.of()).stream().filter(e -> env.equals(e.getName()))
                .map(EnvVar::getValueFrom).filter(java.util.Objects::nonNull).map(v -> v.getSecretKeyRef())
                .filter(java.util.Objects::nonNull).findFirst()
                .orElseThrow(() -> new ManifestException(owner.file(), owner.ref() + " container " + c.getName(),
                        "env." + env, "expected a valueFrom.secretKeyRef (Étape 1.5)"));
    }

    private static String setupScriptKey(LoadedResource owner, Container init) {
        List<String> cmd = new ArrayList<>(Optional.ofNullable(init.getCommand()).orElse(List.of()));
        cmd.addAll(Optional.ofNullable(init.getArgs()).orElse(List.of()));
        for (String part : cmd) {
            if (part.endsWith(".sh")) {
                return part.substring(part.lastIndexOf('/') + 1);
            }
        }
        throw new ManifestException(owner.file(), owner.ref() + " initContainer " + init.getName(), "command",
                "expected the setup script it runs (a *.sh of its ConfigMap)");
    }

    private static String basebackup(LoadedResource owner, String script) {
        Matcher m = BASEBACKUP.matcher(script);
        while (m.find()) {
            if (m.group().contains(" -D") || m.group().contains("--pgdata")) {
                return m.group(); // the command, not a comment naming it
            }
        }
        throw new ManifestException(owner.file(), owner.ref(), "setup script",
                "expected the pg_basebackup command of Étape 2.2 (with its -D)");
    }

    private static String option(LoadedResource owner, String command, String flag, String what) {
        Matcher m = Pattern.compile("(?:^|\\s)" + Pattern.quote(flag) + "\\s*\"?([A-Za-z_][\\w$-]*)\"?").matcher(command);
        if (!m.find()) {
            throw new ManifestException(owner.file(), owner.ref(), "setup script",
                    "expected " + what + " in `" + command.strip().replaceAll("\\s*\\\\\\n\\s*", " ") + "`");
        }
        return m.group(1);
    }

    private static Optional<String> single(GuideModel model, String kind, String key) {
        return model.manifests().ofKind(kind).stream().filter(r -> key == null
                        || (r.resource() instanceof io.fabric8.kubernetes.api.model.ConfigMap cm && cm.getData() != null
                        && cm.getData().containsKey(key)))
                .map(LoadedResource::name).findFirst();
    }

    /** The slot the master's init script creates, if it names one (to compare with the replica's {@code -S}). */
    public static Optional<String> slotCreatedBy(String initScript) {
        Matcher m = SLOT_CREATE.matcher(initScript);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The role the master's init script creates, if it names one. */
    public static Optional<String> roleCreatedBy(String initScript) {
        Matcher m = ROLE_CREATE.matcher(initScript);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    @Override
    public String toString() {
        return names.toString();
    }
}
