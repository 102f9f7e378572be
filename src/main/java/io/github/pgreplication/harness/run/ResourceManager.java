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
    /** The JVM shutdown hook of a run's manager; null for a child, which its parent releases. */
    private final Thread hook;
    private final ResourceManager parent;
    private boolean closed;

    public ResourceManager(String name) {
        this.hook = new Thread(this::closeQuietly, "release-" + name);
        this.parent = null;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private ResourceManager(ResourceManager parent) {
        this.hook = null;
        this.parent = parent;
    }

    /**
     * A manager for one part of the run (a backend's pods, volumes and network), recorded in this one: closing
     * it releases its own resources in reverse order, and closing this one (at the end, or by Ctrl-C) releases it
     * with the rest. One run, one stack of resources and one shutdown hook.
     */
    public ResourceManager child(String description) {
        return track(description, new ResourceManager(this));
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

    /** Throws once released (Ctrl-C, or the end of the run): nothing new is started then. */
    public void requireOpen() {
        if (isClosed()) {
            throw new IllegalStateException("the run is being released (Ctrl-C or end of run): nothing new is started");
        }
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
        if (parent != null) {
            parent.forget(this);
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Already in the hook: nothing to remove.
        }
    }

    private synchronized void forget(AutoCloseable release) {
        stack.removeIf(r -> r.release() == release);
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
