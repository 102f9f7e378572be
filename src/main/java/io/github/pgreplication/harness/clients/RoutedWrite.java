package io.github.pgreplication.harness.clients;

/** A row a client wrote through a URL, and the server that answered the INSERT. */
public record RoutedWrite(String client, String url, String marker, ServerIdentity server) {
}
