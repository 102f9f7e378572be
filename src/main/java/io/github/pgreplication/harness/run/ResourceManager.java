package io.github.pgreplication.harness.run;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every resource a run creates and releases them in reverse order, on success, on failure and on
 * Ctrl-C (a JVM shutdown hook), as Strimzi's {@code ResourceManager}. A release that fails is logged and the
 * others still run.
 */
public final class ResourceManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceManager.class);

    /** Something to release, with a name for the log. */
    public record Resource(String description, AutoCloseable release) {
    }

    private final Deque<Resource> stack = new ArrayDeque<>();
    private final Thread hook;
    private boolean closed;

    public ResourceManager(String name) {
        this.hook = new Thread(this::closeQuietly, "release-" + name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Records a resource; it is released before those recorded earlier. Returns the release for chaining. */
    public synchronized <T extends AutoCloseable> T track(String description, T release) {
        if (closed) {
            // Releasing at once keeps the promise "nothing left behind" even for a late registration.
            closeOne(new Resource(description, release));
            throw new IllegalStateException("run already released; " + description + " was released at once");
        }
        stack.push(new Resource(description, release));
        return release;
    }

    /** True once released (at the end, or by Ctrl-C while other threads may still be working). */
    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Releases one resource now and forgets it (a pod deleted by a scenario, say). The release runs outside the
     * manager's lock, so that scenarios running in parallel keep recording theirs meanwhile.
     */
    public void releaseNow(AutoCloseable release) {
        synchronized (this) {
            stack.removeIf(r -> r.release() == release);
        }
        closeOne(new Resource("resource", release));
    }

    @Override
    public void close() {
        closeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Already in the hook: nothing to remove.
        }
    }

    private synchronized void closeQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        while (!stack.isEmpty()) {
            closeOne(stack.pop());
        }
    }

    private static void closeOne(Resource resource) {
        try {
            LOG.debug("releasing {}", resource.description());
            resource.release().close();
        } catch (Exception e) {
            LOG.warn("could not release {}: {}", resource.description(), Secrets.redact(String.valueOf(e.getMessage())));
        }
    }
}
