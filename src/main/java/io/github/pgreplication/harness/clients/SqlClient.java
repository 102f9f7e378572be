package io.github.pgreplication.harness.clients;

/** A client an application uses with one URL: psql ({@link PsqlClient}) or pgjdbc ({@link JdbcClient}). */
public interface SqlClient {

    String name();

    /** Writes a marked row through the URL; an error when the client cannot. */
    RoutedWrite write(ClientUrl url);

    /** Reads the marked row through the URL; an error when the client cannot. */
    RoutedRead read(ClientUrl url, String marker);

    /** Tries an INSERT through the URL: how it was refused, or that it was not. */
    Refusal tryWrite(ClientUrl url);
}
