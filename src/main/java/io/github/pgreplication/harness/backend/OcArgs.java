package io.github.pgreplication.harness.backend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An {@code oc} command line as kubectl 1.20's flag parser (cobra's pflag) reads it, for one verb whose flags are
 * known: flags anywhere before {@code --} (interspersed with the arguments), {@code --name=value} or {@code --name
 * value}, shorthands grouped ({@code -it}) or with their value attached ({@code -cNAME}, {@code -c=NAME}), {@code --}
 * ending the flags. A flag the verb does not know is {@link Unprovided}: the shim reports the line as not run, never
 * as run.
 */
public record OcArgs(String verb, List<String> positional, Map<String, String> flags, List<String> afterDash,
                     boolean dashDash) {

    /** A flag of a verb: its long name, its shorthand (or 0), and whether it takes a value. */
    public record Flag(String name, char shorthand, boolean takesValue) {

        public static Flag bool(String name, char shorthand) {
            return new Flag(name, shorthand, false);
        }

        public static Flag value(String name, char shorthand) {
            return new Flag(name, shorthand, true);
        }
    }

    /** A verb or flag the shim does not provide; its message names it (never a value, which may be a secret). */
    public static final class Unprovided extends RuntimeException {

        public Unprovided(String what) {
            super(what);
        }
    }

    /** A command line kubectl itself refuses: its message as kubectl prints it. */
    public static final class Refused extends RuntimeException {

        public Refused(String message) {
            super(message);
        }
    }

    /** The flags every verb has (kubectl's global ones the guide's lines may use). */
    static final List<Flag> GLOBAL = List.of(Flag.value("namespace", 'n'));

    /** Reads {@code args} (after the verb) with the verb's flags and the global ones. */
    public static OcArgs parse(String verb, List<String> args, List<Flag> verbFlags) {
        List<Flag> known = new ArrayList<>(verbFlags);
        known.addAll(GLOBAL);
        List<String> positional = new ArrayList<>();
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                return new OcArgs(verb, List.copyOf(positional), flags, List.copyOf(args.subList(i + 1, args.size())), true);
            }
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
                Flag f = find(known, name).orElseThrow(() -> new Unprovided(verb + " --" + name));
                if (f.takesValue()) {
                    if (eq >= 0) {
                        flags.put(f.name(), a.substring(eq + 1));
                    } else if (i + 1 < args.size()) {
                        flags.put(f.name(), args.get(++i));
                    } else {
                        throw new Refused("error: flag needs an argument: --" + name);
                    }
                } else {
                    flags.put(f.name(), eq < 0 ? "true" : booleanValue(a.substring(eq + 1), "--" + name));
                }
            } else if (a.startsWith("-") && a.length() > 1) {
                for (int c = 1; c < a.length(); c++) {
                    char s = a.charAt(c);
                    Flag f = find(known, s).orElseThrow(() -> new Unprovided(verb + " -" + s));
                    if (!f.takesValue()) {
                        flags.put(f.name(), "true");
                        continue;
                    }
                    String rest = a.substring(c + 1);
                    if (!rest.isEmpty()) {
                        flags.put(f.name(), rest.startsWith("=") ? rest.substring(1) : rest);
                    } else if (i + 1 < args.size()) {
                        flags.put(f.name(), args.get(++i));
                    } else {
                        throw new Refused("error: flag needs an argument: '" + s + "' in -" + s);
                    }
                    break;
                }
            } else {
                positional.add(a);
            }
        }
        return new OcArgs(verb, List.copyOf(positional), flags, List.of(), false);
    }

    private static String booleanValue(String v, String flag) {
        return switch (v) {
            case "true", "1", "t", "T", "TRUE", "True" -> "true";
            case "false", "0", "f", "F", "FALSE", "False" -> "false";
            default -> throw new Refused("error: invalid argument \"" + v + "\" for \"" + flag + "\" flag: "
                    + "strconv.ParseBool: parsing \"" + v + "\": invalid syntax");
        };
    }

    private static Optional<Flag> find(List<Flag> known, String name) {
        return known.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    private static Optional<Flag> find(List<Flag> known, char shorthand) {
        return known.stream().filter(f -> f.shorthand() != 0 && f.shorthand() == shorthand).findFirst();
    }

    public boolean has(String flag) {
        return "true".equals(flags.get(flag));
    }

    public Optional<String> value(String flag) {
        return Optional.ofNullable(flags.get(flag));
    }

    /** Every argument that is not a flag, those after {@code --} included, as cobra gives them to a command. */
    public List<String> arguments() {
        List<String> all = new ArrayList<>(positional);
        all.addAll(afterDash);
        return all;
    }
}
