package io.github.pgreplication.harness.guide;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a PostgreSQL image promises the pods that run it, said once for every layer that needs it: the manifests'
 * reading (which env holds the superuser's password, where init scripts are mounted), the procedure (the master's
 * superuser), and each backend (the local one plays the contract with local binaries; the containers and Kubernetes
 * backends run the image and ask it where its data and socket are). One constant per image; the sclorg image of
 * OpenShift's {@code postgresql-persistent} template will be the second.
 */
public enum ImageContract {

    /**
     * The official {@code postgres} image (and this project's offline build of it): {@code docker-entrypoint.sh},
     * which on an empty data directory runs initdb with POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_INITDB_ARGS,
     * creates POSTGRES_DB and runs {@code /docker-entrypoint-initdb.d} once, then {@code exec postgres "$@"}.
     */
    OFFICIAL("the official postgres image", "postgres", "docker-entrypoint.sh", "postgres", "/var/lib/postgresql/data",
            "/var/run/postgresql", "/docker-entrypoint-initdb.d", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB",
            "PostgreSQL Database directory appears to contain a database; Skipping initialization");

    private final String description;
    private final String repository;
    private final String entrypoint;
    private final String command;
    private final String pgdata;
    private final String socketDirectory;
    private final String initScripts;
    private final String superuserEnv;
    private final String superuserPasswordEnv;
    private final String databaseEnv;
    private final String skipsInitialisation;

    ImageContract(String description, String repository, String entrypoint, String command, String pgdata,
                  String socketDirectory, String initScripts, String superuserEnv, String superuserPasswordEnv,
                  String databaseEnv, String skipsInitialisation) {
        this.description = description;
        this.repository = repository;
        this.entrypoint = entrypoint;
        this.command = command;
        this.pgdata = pgdata;
        this.socketDirectory = socketDirectory;
        this.initScripts = initScripts;
        this.superuserEnv = superuserEnv;
        this.superuserPasswordEnv = superuserPasswordEnv;
        this.databaseEnv = databaseEnv;
        this.skipsInitialisation = skipsInitialisation;
    }

    /**
     * The contract of {@code image} ({@code postgres:15}, {@code docker.io/library/postgres:15}, a mirror's
     * {@code registry.example/postgres:15}, this project's {@code pg-replication-harness/postgres:15}): by the last
     * segment of its repository. An image of no known contract is an error that names the ones known.
     */
    public static ImageContract of(String image) {
        String repo = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = repo.lastIndexOf('/');
        int colon = repo.indexOf(':', slash + 1);
        String name = (colon < 0 ? repo.substring(slash + 1) : repo.substring(slash + 1, colon)).toLowerCase(Locale.ROOT);
        for (ImageContract c : values()) {
            if (c.repository.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("image " + image + ": the harness knows the contract of "
                + String.join(", ", List.of(values()).stream().map(c -> c.description + " (…/" + c.repository + ":<major>)")
                .toList()) + ", and of no other image");
    }

    public String description() {
        return description;
    }

    /** The image's entrypoint, as its Dockerfile names it. */
    public String entrypoint() {
        return entrypoint;
    }

    /** The server command the entrypoint runs for a container's {@code args}: args that are options go to it. */
    public List<String> serverCommand(List<String> args) {
        List<String> out = new ArrayList<>(args);
        if (out.isEmpty() || out.get(0).startsWith("-")) {
            out.add(0, command);
        }
        return out;
    }

    /** The server's own program, which {@link #serverCommand} starts with when the args are options. */
    public String command() {
        return command;
    }

    /** Where the data directory is: the env's {@code PGDATA}, else the image's. */
    public String pgdata(Map<String, String> env) {
        return env.getOrDefault("PGDATA", pgdata);
    }

    /** The image's socket directory. */
    public String socketDirectory() {
        return socketDirectory;
    }

    /** Where the image looks for scripts to run once, on an empty data directory. */
    public String initScripts() {
        return initScripts;
    }

    /** The superuser the image initialises, from the env. */
    public String superuser(Map<String, String> env) {
        return env.getOrDefault(superuserEnv, "postgres");
    }

    /** The env variable that holds the superuser's password. */
    public String superuserPasswordEnv() {
        return superuserPasswordEnv;
    }

    /** The database the image creates on first start, from the env (the superuser's name by default). */
    public String database(Map<String, String> env) {
        return env.getOrDefault(databaseEnv, superuser(env));
    }

    /** What the image logs when it finds data and skips its initialisation (and so its init scripts). */
    public String skipsInitialisation() {
        return skipsInitialisation;
    }
}
