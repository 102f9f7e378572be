package io.github.pgreplication.harness.backend;

import java.util.regex.Pattern;

/**
 * One turn of a reader at a terminal ({@link ClusterShell#atTerminal}): once {@code prompt} shows in what the terminal
 * printed since the last turn, the reader types {@code keys} and Enter. A secret turn's keys (a password at psql's
 * prompt, which psql does not echo) are never part of what is recorded: where a program did echo them, the output's
 * redaction would hide them anyway.
 *
 * @param name   what the turn waits for, in words (the wait's name, and its error)
 * @param prompt what the terminal must have printed first
 * @param keys   what the reader then types, without the Enter
 * @param secret whether {@code keys} is a secret
 * @param onlyIfAsked whether the prompt may not come (a password a server does not ask for): where the next turn's
 *                    prompt shows first, the reader types nothing here
 */
public record TerminalTurn(String name, Pattern prompt, String keys, boolean secret, boolean onlyIfAsked) {

    /** A turn whose keys can be shown. */
    public static TerminalTurn type(String name, Pattern prompt, String keys) {
        return new TerminalTurn(name, prompt, keys, false, false);
    }

    /** A turn whose keys are a secret. */
    public static TerminalTurn typeSecret(String name, Pattern prompt, String keys) {
        return new TerminalTurn(name, prompt, keys, true, false);
    }

    /** A turn whose keys are a secret, typed only if its prompt shows before the next turn's. */
    public static TerminalTurn typeSecretIfAsked(String name, Pattern prompt, String keys) {
        return new TerminalTurn(name, prompt, keys, true, true);
    }

    /** The same turn, its keys changed (not a secret's). */
    public TerminalTurn withKeys(String newKeys) {
        return new TerminalTurn(name, prompt, newKeys, secret, onlyIfAsked);
    }

    @Override
    public String toString() {
        return "after " + name + (onlyIfAsked ? " (if it shows)" : "") + ", types " + (secret ? "a secret" : "`" + keys + "`");
    }
}
