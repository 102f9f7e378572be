package io.github.pgreplication.harness.clients;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A libpq connection URI as the guide prints it ({@code postgresql://user:pass@postgresql:5432/dbname}), split
 * into its parts. Its {@link #toString()} never shows the password.
 *
 * @param variable the environment variable the guide sets to it ({@code DATABASE_URL_WRITE})
 * @param line     the guide's line
 */
public record GuideUrl(String variable, String text, String user, String password, String host, int port,
                       String database, int line) {

    /** Parses the guide's value; an error naming the variable and what was expected. */
    public static GuideUrl parse(String variable, String text, int line) {
        try {
            URI uri = new URI(text);
            if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
                throw new IllegalArgumentException("scheme " + uri.getScheme());
            }
            String userInfo = uri.getRawUserInfo();
            if (userInfo == null || !userInfo.contains(":") || uri.getHost() == null || uri.getPath() == null
                    || uri.getPath().length() < 2) {
                throw new IllegalArgumentException("no user:password@host/dbname");
            }
            String user = decode(userInfo.substring(0, userInfo.indexOf(':')));
            String password = decode(userInfo.substring(userInfo.indexOf(':') + 1));
            int port = uri.getPort() == -1 ? 5432 : uri.getPort();
            return new GuideUrl(variable, text, user, password, uri.getHost(), port, decode(uri.getRawPath().substring(1)), line);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("the guide's " + variable + " (line " + line + ") is not a libpq URI "
                    + "postgresql://user:password@host:port/dbname: " + e.getMessage());
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** host:port as the guide writes it. */
    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return variable + "=postgresql://" + user + ":****@" + host + ":" + port + "/" + database;
    }
}
