package io.github.pgreplication.harness.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;

/**
 * The OS user the pods' processes run as. {@code initdb} and {@code postgres} refuse root, so when the
 * harness runs as root every pod process is started through {@code setpriv} as an unprivileged user, the
 * way the official image's entrypoint drops to the {@code postgres} user with gosu.
 */
public final class OsUser {

    private final String name;
    private final boolean switchUser;

    private OsUser(String name, boolean switchUser) {
        this.name = name;
        this.switchUser = switchUser;
    }

    /** The user this JVM runs as. */
    public static OsUser current() {
        return new OsUser(System.getProperty("user.name"), false);
    }

    /** The current user, or {@code runAs} when the current user is root. */
    public static OsUser forServers(String runAs) {
        String current = System.getProperty("user.name");
        if (!"root".equals(current)) {
            return new OsUser(current, false);
        }
        try {
            Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(runAs);
        } catch (IOException e) {
            throw new IllegalStateException("The harness runs as root, and PostgreSQL servers refuse root; the user '"
                    + runAs + "' to run them as does not exist. Create it (useradd --system " + runAs
                    + ") or set harness.run-as to an existing unprivileged user.", e);
        }
        return new OsUser(runAs, true);
    }

    public String name() {
        return name;
    }

    /** The command prefix that runs a program as this user ({@code setpriv}, keeping the environment). */
    public List<String> prefix() {
        List<String> prefix = new ArrayList<>();
        if (switchUser) {
            prefix.addAll(List.of("setpriv", "--reuid=" + name, "--regid=" + name, "--init-groups"));
        }
        return prefix;
    }

    /** Gives a file or directory to this user (a no-op when the harness already runs as it). */
    public void own(Path path) {
        if (!switchUser) {
            return;
        }
        try {
            UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal user = lookup.lookupPrincipalByName(name);
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
            view.setOwner(user);
            try {
                GroupPrincipal group = lookup.lookupPrincipalByGroupName(name);
                view.setGroup(group);
            } catch (IOException noSuchGroup) {
                // A user without a group of its own name: owning the file is enough.
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + path + " to " + name, e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
