package io.github.pgreplication.harness.clients;

/** A read of one row through a URL: the server that answered, and whether the row was there. */
public record RoutedRead(String client, String url, String marker, ServerIdentity server, boolean seen) {
}
