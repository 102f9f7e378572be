package io.github.pgreplication.harness.backend;

import io.github.pgreplication.harness.run.RunDirectory;
import io.github.pgreplication.harness.run.Secrets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code oc} of a backend whose pods are not a cluster's: a server in the JVM, on a free port of 127.0.0.1 only,
 * that runs {@link OcVerbs} on the backend's pods for the {@code oc} program of each of its shells ({@link OcShell}).
 * One per backend, started when a shell is first asked for, closed with the backend (the run's resource manager
 * closes it on success, failure and Ctrl-C). A request carries a random token of the run, which only the shells'
 * programs know (it is in no log: {@link Secrets} redacts it), and names a request directory of its shell, where the
 * program left its arguments and, when asked, its standard input, and where the outputs are written.
 * <p>
 * The exchange, one connection per {@code oc} call: the program sends {@code TOKEN SHELL REQUEST}; the server may
 * answer {@code stdin} (an {@code exec -i}), the program then writes its standard input to the directory's
 * {@code stdin} file and sends {@code ready}; the server ends with {@code status N}.
 */
public final class OcServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OcServer.class);
    private static final Pattern REQUEST = Pattern.compile("req\\.[A-Za-z0-9]{6,32}");
    private static final Duration HEADER = Duration.ofSeconds(30);
    private static final int MAX_LINE = 256;
    private static final long MAX_ARGV = 4L << 20;

    private final OcTarget target;
    private final OcVerbs verbs;
    private final String token = Secrets.newPassword();
    private final ServerSocket socket;
    private final Path dir;
    private final boolean ownsDir;
    private final ExecutorService workers;
    private final Map<String, OcShell> shells = new ConcurrentHashMap<>();
    private final AtomicInteger shellIds = new AtomicInteger();
    private volatile boolean closed;

    /**
     * Starts the server for a backend's pods; its shells' directories go under {@code runDir} (the backend's run
     * directory) when there is one, else under a scratch directory of the JVM, removed on close.
     */
    public OcServer(OcTarget target, Optional<Path> runDir) {
        this.target = target;
        this.verbs = new OcVerbs(target);
        this.ownsDir = runDir.isEmpty();
        this.dir = runDir.orElseGet(() -> RunDirectory.scratch("oc"));
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "oc-" + target.backendName() + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()); // bound at once: any free port
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("the " + target.backendName() + " backend's oc cannot listen on 127.0.0.1", e);
        }
        workers.submit(this::accept);
        LOG.info("the {} backend's oc listens on 127.0.0.1:{}", target.backendName(), socket.getLocalPort());
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** A new shell whose {@code oc} is this server's, in a directory of its own (removed when it closes). */
    public OcShell newShell() {
        if (closed) {
            throw new IllegalStateException("the " + target.backendName() + " backend's oc is closed");
        }
        String id = "s" + shellIds.incrementAndGet();
        OcShell shell = new OcShell(this, id, dir, target.project());
        shells.put(id, shell);
        return shell;
    }

    String backendName() {
        return target.backendName();
    }

    /** The text of a shell's {@code oc} program: it holds the token, so it is written with mode 0700 only. */
    String program(String shellId, Path shellDir) {
        String d = shellDir.toString();
        if (d.contains("'")) {
            throw new IllegalArgumentException("a shell directory with a quote in its path: " + d);
        }
        String backend = target.backendName();
        return """
                #!/bin/bash
                # oc, as the @@BACKEND@@ backend provides it (the harness's OcServer): each call is one request to the harness
                # on 127.0.0.1, which runs it on the backend's pods. Its arguments (NUL-separated) and, when the harness
                # asks for it (exec -i), its standard input go through the files of a request directory; the harness
                # answers with the exit status and leaves the command's standard output and error in two files there.
                set -u
                req=$(mktemp -d '@@DIR@@/req.XXXXXXXXXX') || exit 125
                trap 'rm -rf -- "$req"' EXIT
                printf '%s\\0' "$@" >"$req/argv"
                if [ -t 0 ]; then : >"$req/stdin-is-a-terminal"; fi
                if ! exec 3<>/dev/tcp/127.0.0.1/@@PORT@@; then
                  echo "oc: the @@BACKEND@@ backend's oc does not answer on 127.0.0.1:@@PORT@@" >&2
                  exit 125
                fi
                printf '%s %s %s\\n' '@@TOKEN@@' '@@SHELL@@' "${req##*/}" >&3
                answer=
                IFS= read -r answer <&3
                if [ "$answer" = stdin ]; then
                  cat >"$req/stdin"
                  printf 'ready\\n' >&3
                  answer=
                  IFS= read -r answer <&3
                fi
                exec 3<&-
                if [ -f "$req/stdout" ]; then cat "$req/stdout"; fi
                if [ -f "$req/stderr" ]; then cat "$req/stderr" >&2; fi
                case $answer in
                  status\\ [0-9]*) exit "${answer#status }" ;;
                esac
                echo "oc: the @@BACKEND@@ backend's oc gave no exit status" >&2
                exit 125
                """.replace("@@BACKEND@@", backend).replace("@@PORT@@", Integer.toString(port()))
                .replace("@@SHELL@@", shellId).replace("@@TOKEN@@", token).replace("@@DIR@@", d);
    }

    void forget(OcShell shell) {
        shells.remove(shell.id());
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = socket.accept();
                workers.submit(() -> serve(client));
            } catch (SocketException closing) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("the {} backend's oc: {}", target.backendName(), Secrets.redact(String.valueOf(e.getMessage())));
                }
            }
        }
    }

    private void serve(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            client.setSoTimeout((int) HEADER.toMillis());
            String[] header = readLine(in).split(" ");
            if (header.length != 3 || !MessageDigest.isEqual(header[0].getBytes(StandardCharsets.UTF_8),
                    token.getBytes(StandardCharsets.UTF_8))) {
                LOG.warn("the {} backend's oc refused a request without this run's token", target.backendName());
                return;
            }
            OcShell shell = shells.get(header[1]);
            if (shell == null || !REQUEST.matcher(header[2]).matches()) {
                LOG.warn("the {} backend's oc refused a request of no open shell", target.backendName());
                return;
            }
            Path req = shell.dir().resolve(header[2]);
            if (!Files.isDirectory(req, LinkOption.NOFOLLOW_LINKS)) {
                LOG.warn("the {} backend's oc refused a request without its directory", target.backendName());
                return;
            }
            int status = run(shell, req, client, in, out);
            out.write(("status " + status + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.warn("the {} backend's oc failed a request: {}", target.backendName(),
                        Secrets.redact(String.valueOf(e.getMessage())));
            }
        }
    }

    private int run(OcShell shell, Path req, Socket client, InputStream in, OutputStream out) throws IOException {
        Path argvFile = req.resolve("argv");
        if (Files.size(argvFile) > MAX_ARGV) {
            throw new IOException("oc's arguments are over " + MAX_ARGV + " bytes");
        }
        List<String> argv = splitNul(Files.readAllBytes(argvFile));
        Path stdout = Files.createFile(req.resolve("stdout"));
        Path stderr = Files.createFile(req.resolve("stderr"));
        OcVerbs.Request request = new OcVerbs.Request() {
            @Override
            public String namespace() {
                return shell.namespace();
            }

            @Override
            public void switchNamespace(String namespace) {
                shell.switchNamespace(namespace);
            }

            @Override
            public Path stdout() {
                return stdout;
            }

            @Override
            public Path stderr() {
                return stderr;
            }

            @Override
            public boolean stdinIsATerminal() {
                return Files.exists(req.resolve("stdin-is-a-terminal"));
            }

            @Override
            public Path stdin() throws IOException {
                out.write("stdin\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                client.setSoTimeout((int) Math.max(1000, Math.min(Integer.MAX_VALUE, shell.left().toMillis())));
                String ready = readLine(in);
                if (!ready.equals("ready")) {
                    throw new IOException("oc did not send its standard input");
                }
                Path stdin = req.resolve("stdin");
                return Files.exists(stdin) ? stdin : Files.createFile(stdin);
            }

            @Override
            public Duration left() {
                return shell.left();
            }
        };
        return verbs.run(argv, request);
    }

    private static List<String> splitNul(byte[] bytes) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                out.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return out;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("oc closed the connection mid-line");
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("oc sent a line over " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException e) {
            LOG.debug("closing the {} backend's oc: {}", target.backendName(), e.getMessage());
        }
        List.copyOf(shells.values()).forEach(OcShell::close);
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("the {} backend's oc: requests still running 30 s after it closed", target.backendName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsDir) {
            RunDirectory.deleteTree(dir);
        }
    }
}
