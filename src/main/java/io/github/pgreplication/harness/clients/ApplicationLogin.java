package io.github.pgreplication.harness.clients;

/** The role and database an application logs in with, and this run's password for it (never printed). */
public record ApplicationLogin(String user, String database, String password) {

    @Override
    public String toString() {
        return "role " + user + ", database " + database + ", password ****";
    }
}
