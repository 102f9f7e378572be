package io.github.pgreplication.harness.guide;

import java.util.ArrayList;
import java.util.List;

/** pg_hba.conf records: type, database, user, address (for host lines), method, with their line. */
public record PgHba(List<Line> lines) {

    public record Line(String type, String database, String user, String address, String method, int line) {
        public boolean isHost() {
            return type.startsWith("host");
        }
    }

    public static PgHba parse(String text) {
        List<Line> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            int hash = l.indexOf('#');
            if (hash >= 0) {
                l = l.substring(0, hash);
            }
            String[] f = l.trim().split("\\s+");
            if (f.length < 3 || f[0].isEmpty()) {
                continue;
            }
            if (f[0].equals("local")) {
                out.add(new Line(f[0], f[1], f[2], "", f.length > 3 ? f[3] : "", i + 1));
            } else if (f.length >= 5) {
                // "host db user 10.0.0.0 255.0.0.0 md5" (address and mask) is rare; the guide uses CIDRs.
                out.add(new Line(f[0], f[1], f[2], f[3], f[4], i + 1));
            }
        }
        return new PgHba(out);
    }
}
