package io.github.pgreplication.harness.backend.containers;

import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import io.github.pgreplication.harness.backend.Endpoint;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.ImageContract;
import io.github.pgreplication.harness.guide.MountPlan;
import io.github.pgreplication.harness.guide.MountSource;
import io.github.pgreplication.harness.run.OsUser;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.run.RunDirectory;
import io.github.pgreplication.harness.run.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The image's own initialisation of an empty data directory, made once per run for each way a pod asks for it,
 * then copied into each empty claim, as PostgreSQL's own test suite copies its initdb template ({@code Cluster.pm},
 * {@code INITDB_TEMPLATE}) and as the local backend does ({@code local.InitdbTemplates}). The template is what the
 * image's entrypoint wrote on an empty volume with the pod's own image, arguments and environment, its temporary
 * server stopped cleanly; the copy differs only by the superuser's password (a random Secret per pair), which is
 * set from the pod's {@code POSTGRES_PASSWORD} once its server answers, as a SCRAM verifier computed by pgjdbc (the
 * password itself never reaches the server, nor its log).
 *
 * <p>Measured here: an initialisation costs about 1.2 s of CPU in the container; a copy on the tmpfs, a few
 * milliseconds. It applies only where the image would initialise and run nothing else: no init scripts mounted
 * (they run on an empty volume only, and may differ from pod to pod), no password or WAL directory from a file, the
 * claims on the host (harness.volumes) and the JVM root (a copy keeps the owner the image gave the files).
 */
final class DataTemplates {

    /**
     * Testcontainers' PostgreSQLContainer contract: the temporary server of the initialisation, then the real one. Not
     * « init process complete »: the entrypoint is still PID 1 then, a shell that ignores the stop signal.
     */
    private static final String READY = ".*database system is ready to accept connections.*\\s";

    /**
     * What the entrypoint's initialisation depends on: the image, its arguments, the environment but the password, and
     * the security it runs under (the files' owner, the claim's root).
     */
    private record Key(String image, List<String> args, Map<String, String> env, String mountPath, ContainerSecurity security) {
    }

    /** A template: the directory mounted where the claim is, as the entrypoint left it. */
    private record Template(Path claimRoot, String password) {
    }

    /** What a pod filled from a template still needs once its server answers: its own password. */
    record Seed(String superuser, String templatePassword, String password) {

        void setPassword(Endpoint endpoint) {
            Properties p = new Properties();
            p.setProperty("user", superuser);
            p.setProperty("password", templatePassword);
            p.setProperty("sslmode", "disable");
            try (Connection c = DriverManager.getConnection(endpoint.jdbcUrl("postgres"), p)) {
                c.unwrap(PGConnection.class).alterUserPassword(superuser, password.toCharArray(), null);
            } catch (SQLException e) {
                throw new IllegalStateException("setting the superuser's password of a pod filled from the data template "
                        + "failed: " + Secrets.redact(String.valueOf(e.getMessage())), e);
            }
        }
    }

    private static final Map<Key, Template> TEMPLATES = new ConcurrentHashMap<>();

    private DataTemplates() {
    }

    /**
     * Fills the claim that holds the pod's PGDATA with the template when it is empty and the image would initialise
     * it, making the template first if this run has none for the pod's image, arguments and environment.
     */
    static Optional<Seed> seedIfEmpty(ContainerPlan plan, String image, Path claimsRoot, Map<String, String> labels,
                                      ContainerSecurity security, ResourceManager runResources, Duration timeout) {
        Optional<MountPlan> claim = dataClaim(plan);
        if (claim.isEmpty() || !applies(plan)) {
            return Optional.empty();
        }
        MountSource.Claim source = (MountSource.Claim) claim.get().source();
        Path claimRoot = claimsRoot.resolve("volumes").resolve(source.claimName());
        String pgdata = plan.imageContract().pgdata(plan.env());
        if (!isEmpty(claimRoot.resolve(relative(claim.get().mountPath(), pgdata)))) {
            return Optional.empty();
        }
        Map<String, String> env = new TreeMap<>(plan.env());
        String password = env.remove(plan.imageContract().superuserPasswordEnv());
        Key key = new Key(image, List.copyOf(plan.args()), Map.copyOf(env), claim.get().mountPath(), security);
        // Made at most once per key: a pod asking for the same key meanwhile waits for it. Copied under the key's lock,
        // which the template's removal takes too: the backend that made it may end while another one copies it.
        Template[] used = new Template[1];
        TEMPLATES.compute(key, (k, t) -> {
            Template template = t != null ? t : make(k, pgdata, labels, runResources, timeout);
            RunDirectory.copyTree(template.claimRoot(), claimRoot); // modes and owners as the image left them, the root's too
            used[0] = template;
            return template;
        });
        return Optional.of(new Seed(plan.imageContract().superuser(plan.env()), used[0].password(), password));
    }

    /** The image would initialise this pod's volume and run nothing else on it. */
    static boolean applies(ContainerPlan plan) {
        Map<String, String> env = plan.env();
        ImageContract image = plan.imageContract();
        String password = env.get(image.superuserPasswordEnv());
        // The templates are made, and their copies' passwords set, the official image's way.
        return image == ImageContract.OFFICIAL && plan.command().isEmpty()
                && (plan.args().isEmpty() || plan.args().get(0).equals(image.command()))
                && plan.mounts().stream().noneMatch(m -> m.mountPath().startsWith(image.runOnceOnFreshData()))
                && password != null && !password.isEmpty()
                && env.keySet().stream().noneMatch(k -> k.endsWith("_FILE") || k.equals("POSTGRES_INITDB_WALDIR"))
                && "root".equals(OsUser.current().name());
    }

    /** The claim mounted at PGDATA or above it. */
    private static Optional<MountPlan> dataClaim(ContainerPlan plan) {
        String pgdata = plan.imageContract().pgdata(plan.env());
        return plan.mounts().stream().filter(m -> m.source() instanceof MountSource.Claim)
                .filter(m -> pgdata.equals(m.mountPath()) || pgdata.startsWith(m.mountPath() + "/")).findFirst();
    }

    private static String relative(String mountPath, String pgdata) {
        return pgdata.equals(mountPath) ? "" : pgdata.substring(mountPath.length() + 1);
    }

    private static boolean isEmpty(Path dir) {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Template make(Key key, String pgdata, Map<String, String> labels, ResourceManager runResources,
                                 Duration timeout) {
        RunDirectory dir = RunDirectory.create(RunDirectory.parent(Optional.empty()), OsUser.current());
        runResources.track("data template " + dir.root(), () -> TEMPLATES.compute(key, (k, t) -> {
            dir.close(); // under the key's lock: no copy of it is under way
            return t != null && t.claimRoot().startsWith(dir.root()) ? null : t;
        }));
        Path claimRoot = dir.root().resolve("claim");
        String password = Secrets.newPassword();
        Map<String, String> env = new TreeMap<>(key.env());
        env.put(ImageContract.of(key.image()).superuserPasswordEnv(), password);
        if (key.security().provisionedClaims()) {
            ClaimRoots.layOut(claimRoot); // the claim's root as the pods' claims have it: the same files, the same owners
        } else {
            createDirectory(claimRoot);
        }
        try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(key.image()))) {
            c.withEnv(env).withLabels(labels).withNetworkMode("none")
                    .withCreateContainerCmdModifier(cmd -> {
                        cmd.getHostConfig().withBinds(new Bind(claimRoot.toString(), new Volume(key.mountPath())));
                        key.security().applyTo(cmd); // the pods' user and groups: the files' owners are theirs
                    })
                    .waitingFor(Wait.forLogMessage(READY, 2).withStartupTimeout(timeout));
            if (!key.args().isEmpty()) {
                c.withCommand(key.args().toArray(String[]::new));
            }
            c.start();
            // the image's stop signal (SIGINT): a fast shutdown
            c.getDockerClient().stopContainerCmd(c.getContainerId()).withTimeout(30).exec();
            Path data = claimRoot.resolve(relative(key.mountPath(), pgdata));
            if (!Files.exists(data.resolve("PG_VERSION")) || Files.exists(data.resolve("postmaster.pid"))) {
                throw new IllegalStateException("the image " + key.image() + " left no cleanly stopped data directory at "
                        + pgdata + " for the data template; its output:\n" + Secrets.redact(c.getLogs()));
            }
        }
        return new Template(claimRoot, password);
    }

    private static Path createDirectory(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
