package io.github.pgreplication.harness.backend;

/** Where a client reaches a Service or pod from the harness. */
public record Endpoint(String host, int port) {

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }
}
