package io.github.pgreplication.harness.clients;

import io.github.pgreplication.harness.backend.Endpoint;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A guide URL as a client on this host uses it: the Service it names reached at {@code endpoint}, and the
 * application's login. The password never goes into a URL this class prints.
 *
 * @param service the Service the URL's host names (which may differ from the guide's, in a negative scenario)
 */
public record ClientUrl(GuideUrl guide, String service, Endpoint endpoint, ApplicationLogin login) {

    /** For libpq (psql): the guide's URL with host and port adapted and no password; it goes in PGPASSWORD. */
    public String libpqUrlWithoutPassword() {
        return "postgresql://" + encode(login.user()) + "@" + endpoint.host() + ":" + endpoint.port() + "/"
                + encode(login.database());
    }

    /** For pgjdbc, which does not take a libpq URI: user and password go as connection properties. */
    public String jdbcUrl() {
        return endpoint.jdbcUrl(login.database());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return guide.variable() + " -> Service " + service + " at " + endpoint.host() + ":" + endpoint.port() + " as "
                + login.user() + "/" + login.database();
    }
}
