package io.github.pgreplication.harness.guide;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a PostgreSQL image promises the pods that run it, said once for every layer that needs it: the manifests'
 * reading (which env holds the superuser's password, where the scripts run once on fresh data are mounted), the
 * procedure (the master's superuser), and each backend (the local one plays the contract with local binaries; the
 * containers and Kubernetes backends run the image and ask it where its data and socket are). One constant per image.
 */
public enum ImageContract {

    /**
     * The official {@code postgres} image (and this project's offline build of it): {@code docker-entrypoint.sh},
     * which on an empty data directory runs initdb with POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_INITDB_ARGS,
     * creates POSTGRES_DB and runs {@code /docker-entrypoint-initdb.d} once, then {@code exec postgres "$@"}.
     */
    OFFICIAL("the official postgres image", "…/postgres:<major>", Pattern.compile("postgres"),
            "docker-entrypoint.sh", "postgres", true, "/var/lib/postgresql/data", true, "/var/run/postgresql",
            Optional.of("/docker-entrypoint-initdb.d"), Optional.empty(), Optional.of("POSTGRES_USER"),
            "POSTGRES_PASSWORD", "POSTGRES_DB", Optional.empty(),
            Optional.of("PostgreSQL Database directory appears to contain a database; Skipping initialization")),

    /**
     * The sclorg (Software Collections) PostgreSQL image that OpenShift's {@code postgresql-persistent} template
     * runs ({@code quay.io/sclorg/postgresql-15-c9s}, {@code registry.redhat.io/rhel9/postgresql-15}, this project's
     * offline stand-in {@code pg-replication-harness/sclorg-postgresql:15}; images/sclorg-postgresql/CONTRACT.md):
     * {@code container-entrypoint} runs its arguments as they are, {@code run-postgresql} by default, which makes
     * {@code PGDATA} itself in the volume, initialises it once, configures the server from its environment and
     * {@code postgresql-cfg/}, sources the {@code postgresql-init/} hooks once and the {@code postgresql-start/}
     * hooks at every start, and sets the passwords from its environment at every start.
     */
    SCLORG("the sclorg PostgreSQL image of OpenShift's postgresql-persistent template",
            "…/postgresql-<major>-<os>, …/sclorg-postgresql:<major>",
            Pattern.compile("sclorg-postgresql|postgresql-\\d+(-[a-z0-9]+)?"),
            "container-entrypoint", "run-postgresql", false, "/var/lib/pgsql/data/userdata", false, "/var/run/postgresql",
            Optional.empty(), Optional.of(new Sclorg("/var/lib/pgsql", "/opt/app-root/src")), Optional.empty(),
            "POSTGRESQL_ADMIN_PASSWORD", "POSTGRESQL_DATABASE",
            Optional.of(new ApplicationUser("POSTGRESQL_USER", "POSTGRESQL_PASSWORD", "POSTGRESQL_DATABASE")),
            Optional.empty());

    /** The sclorg image's home (the volume's parent) and its application source, where its hooks live. */
    private record Sclorg(String home, String appSource) {
    }

    /** The env variables that name an application user (not a superuser), its password and its database. */
    public record ApplicationUser(String userEnv, String passwordEnv, String databaseEnv) {
    }

    private final String description;
    private final String names;
    private final Pattern repository;
    private final String entrypoint;
    private final String command;
    private final boolean optionArgsGoToCommand;
    private final String pgdata;
    private final boolean pgdataFromEnv;
    private final String socketDirectory;
    private final Optional<String> initScripts;
    private final Optional<Sclorg> sclorg;
    private final Optional<String> superuserEnv;
    private final String superuserPasswordEnv;
    private final String databaseEnv;
    private final Optional<ApplicationUser> applicationUser;
    private final Optional<String> skipsInitialisation;

    ImageContract(String description, String names, Pattern repository, String entrypoint, String command,
                  boolean optionArgsGoToCommand, String pgdata, boolean pgdataFromEnv, String socketDirectory,
                  Optional<String> initScripts, Optional<Sclorg> sclorg, Optional<String> superuserEnv,
                  String superuserPasswordEnv, String databaseEnv, Optional<ApplicationUser> applicationUser,
                  Optional<String> skipsInitialisation) {
        this.description = description;
        this.names = names;
        this.repository = repository;
        this.entrypoint = entrypoint;
        this.command = command;
        this.optionArgsGoToCommand = optionArgsGoToCommand;
        this.pgdata = pgdata;
        this.pgdataFromEnv = pgdataFromEnv;
        this.socketDirectory = socketDirectory;
        this.initScripts = initScripts;
        this.sclorg = sclorg;
        this.superuserEnv = superuserEnv;
        this.superuserPasswordEnv = superuserPasswordEnv;
        this.databaseEnv = databaseEnv;
        this.applicationUser = applicationUser;
        this.skipsInitialisation = skipsInitialisation;
    }

    /**
     * The contract of {@code image}, by the last segment of its repository: {@code postgres} for the official image
     * ({@code postgres:15}, {@code docker.io/library/postgres:15}, a mirror's {@code registry.example/postgres:15},
     * this project's {@code pg-replication-harness/postgres:15}); {@code postgresql-<major>[-<os>]} or
     * {@code sclorg-postgresql} for the sclorg image ({@code quay.io/sclorg/postgresql-15-c9s},
     * {@code registry.redhat.io/rhel9/postgresql-15}, {@code centos/postgresql-12-centos7}). An image of no known
     * contract is an error that names the ones known.
     */
    public static ImageContract of(String image) {
        String repo = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = repo.lastIndexOf('/');
        int colon = repo.indexOf(':', slash + 1);
        String name = (colon < 0 ? repo.substring(slash + 1) : repo.substring(slash + 1, colon)).toLowerCase(Locale.ROOT);
        for (ImageContract c : values()) {
            if (c.repository.matcher(name).matches()) {
                return c;
            }
        }
        throw new IllegalArgumentException("image " + image + ": the harness knows the contract of "
                + String.join(", ", List.of(values()).stream().map(c -> c.description + " (" + c.names + ")").toList())
                + ", and of no other image");
    }

    /** The contract of {@code image} when the harness knows it (see {@link #of}); empty for any other image. */
    public static Optional<ImageContract> find(String image) {
        try {
            return Optional.of(of(image == null ? "" : image));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    /**
     * The repository of the sclorg image's offline stand-in (images/build-sclorg-image.sh), which the containers backend
     * runs and the offline cluster imports where no registry is reachable; a tag per major.
     */
    public static final String SCLORG_STAND_IN = "pg-replication-harness/sclorg-postgresql";

    /**
     * The signal a pod's stop sends its server (the kubelet and Docker send the image's STOPSIGNAL, SIGTERM where it
     * names none): the official image's SIGINT, a fast shutdown, which ends the sessions; the sclorg image names none,
     * so SIGTERM, a smart shutdown, which waits for every session to end (its pod is killed at the end of its grace
     * period when one stays open).
     */
    public String stopSignal() {
        return this == OFFICIAL ? "INT" : "TERM";
    }

    public String description() {
        return description;
    }

    /** The image's entrypoint, as its Dockerfile names it. */
    public String entrypoint() {
        return entrypoint;
    }

    /**
     * The command the entrypoint runs for a container's {@code args}. The official entrypoint puts {@code postgres}
     * before args that are options; the sclorg one runs the args as they are, in place of its {@code run-postgresql}
     * (so args of options run an option as a program, and fail as the image would).
     */
    public List<String> serverCommand(List<String> args) {
        List<String> out = new ArrayList<>(args);
        if (out.isEmpty() || (optionArgsGoToCommand && out.get(0).startsWith("-"))) {
            out.add(0, command);
        }
        return out;
    }

    /** The image's default command: the server's program, or the script that starts it. */
    public String command() {
        return command;
    }

    /** Where the data directory is: the official image's is the env's {@code PGDATA}, else the image's; the sclorg one's is fixed. */
    public String pgdata(Map<String, String> env) {
        return pgdataFromEnv ? env.getOrDefault("PGDATA", pgdata) : pgdata;
    }

    /** The image's socket directory. */
    public String socketDirectory() {
        return socketDirectory;
    }

    /**
     * Where the image runs, once on an empty data directory, every script it finds ({@code .sh} run or sourced,
     * {@code .sql} given to psql): the official image's {@code /docker-entrypoint-initdb.d}. The sclorg image has
     * none: its {@link #initHooks} are sourced shell only, beside the image's own.
     */
    public Optional<String> initScripts() {
        return initScripts;
    }

    /** The directory of shell hooks the image sources on a fresh cluster only (sclorg: {@code postgresql-init/}). */
    public Optional<String> initHooks() {
        return sclorg.map(s -> s.appSource() + "/postgresql-init");
    }

    /** The directory of shell hooks the image sources at every start (sclorg: {@code postgresql-start/}). */
    public Optional<String> startHooks() {
        return sclorg.map(s -> s.appSource() + "/postgresql-start");
    }

    /** The directory of shell hooks the image sources before anything else (sclorg: {@code postgresql-pre-start/}). */
    public Optional<String> preStartHooks() {
        return sclorg.map(s -> s.appSource() + "/postgresql-pre-start");
    }

    /** The directory whose {@code *.conf} the image's generated configuration includes (sclorg: {@code postgresql-cfg/}). */
    public Optional<String> configDirectory() {
        return sclorg.map(s -> s.appSource() + "/postgresql-cfg");
    }

    /** The image's HOME, where it writes its generated configuration (sclorg: {@code /var/lib/pgsql}). */
    public Optional<String> home() {
        return sclorg.map(Sclorg::home);
    }

    /**
     * Where scripts the image runs once, on a fresh data directory, are mounted, whatever the image calls them: the
     * official image's init scripts, the sclorg image's init hooks. The guide mounts its master's init script there.
     */
    public String runOnceOnFreshData() {
        return initScripts.or(this::initHooks).orElseThrow();
    }

    /**
     * Every directory where some known image runs scripts by itself (the official image's init scripts, the sclorg
     * image's init and start hooks): where a manifests directory may mount the master's init script, whether or
     * not the master's own image reads that directory (the guide mounts it under the official image's).
     */
    public static List<String> scriptDirectories() {
        List<String> out = new ArrayList<>();
        for (ImageContract c : values()) {
            c.initScripts.ifPresent(out::add);
            c.initHooks().ifPresent(out::add);
            c.startHooks().ifPresent(out::add);
        }
        return out;
    }

    /** Whether the image itself runs a script mounted at {@code path} (under its init scripts or hooks). */
    public boolean runsScriptAt(String path) {
        return Stream.of(initScripts, initHooks(), startHooks(), preStartHooks()).flatMap(Optional::stream)
                .anyMatch(d -> path.startsWith(d + "/"));
    }

    /** The superuser the image initialises: the official image's from the env, the sclorg image's {@code postgres}. */
    public String superuser(Map<String, String> env) {
        return superuserEnv.map(e -> env.getOrDefault(e, "postgres")).orElse("postgres");
    }

    /** The env variable that holds the superuser's password. */
    public String superuserPasswordEnv() {
        return superuserPasswordEnv;
    }

    /** The database the image creates on first start, from the env (the superuser's name by default). */
    public String database(Map<String, String> env) {
        return env.getOrDefault(databaseEnv, superuser(env));
    }

    /** A login the image makes from its environment: a role, its password, and its database. */
    public record Login(String user, String password, String database) {
    }

    /**
     * The login an application's data is made with on this image's first start: the sclorg image's application user
     * ({@code POSTGRESQL_USER}, its password and database; the template's master has no superuser password); else
     * the superuser with its password and database.
     */
    public Login dataLogin(Map<String, String> env) {
        return applicationUser.filter(u -> env.containsKey(u.userEnv()))
                .map(u -> new Login(env.get(u.userEnv()), env.get(u.passwordEnv()), env.get(u.databaseEnv())))
                .orElseGet(() -> new Login(superuser(env), env.get(superuserPasswordEnv), database(env)));
    }

    /** The application user the image makes from its env, beside the superuser (sclorg's POSTGRESQL_USER …). */
    public Optional<ApplicationUser> applicationUser() {
        return applicationUser;
    }

    /** What the image logs when it finds data and skips its initialisation (and so its init scripts), if anything. */
    public Optional<String> skipsInitialisation() {
        return skipsInitialisation;
    }
}
