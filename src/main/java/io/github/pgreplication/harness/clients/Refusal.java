package io.github.pgreplication.harness.clients;

/**
 * How a client's statement ended when it was refused, or did not: the SQLSTATE (pgjdbc, TypeORM), the exit status
 * (psql; null for the others) and the message, redacted.
 */
public record Refusal(String client, String url, boolean refused, String sqlstate, Integer exitCode, String message) {
}
