package io.cascade.tests;

import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.cascade.tests.CollectionReplies.hello;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The geo commands on redis-server and Cascade side by side: every reply compared byte for byte in RESP2 and
 * RESP3 (distances, coordinates, hashes, the order of results, errors), then DEBUG DIGEST, over seeded random
 * points on the whole globe, the poles, the antimeridian, the radius border, huge and tiny areas, and the
 * STORE forms.
 */
@ExtendWith(Servers.class)
class GeoIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass();
    private static final String[] UNITS = {"m", "km", "ft", "mi", "KM", "Mi"};
    private static final double LAT_MAX = 85.05112878;

    @BeforeEach
    void reset() throws IOException {
        twin.flushAll();
    }

    private static String[] c(String line) {
        return line.split(" ", -1);
    }

    /** Runs the lines in RESP2, then in RESP3 after a flush, comparing every reply and the final digest. */
    private static void sameInBothProtocols(List<String[]> commands) throws IOException {
        for (int protocol = 2; protocol <= 3; protocol++) {
            try (Twin.Session s = twin.session()) {
                hello(s, protocol);
                s.same("FLUSHALL");
                for (String[] cmd : commands) {
                    if (cmd[0].equals(STORED)) {
                        sameStored(s, cmd[1]);
                    } else {
                        s.same(cmd);
                    }
                }
                s.same("DEBUG", "DIGEST");
            }
        }
    }

    /**
     * A pseudo-command of these tests: compare the set a random search stored (STORE or STOREDIST), then
     * delete it. Its members must be the same and in the same order; STOREDIST's scores are distances that
     * glibc's sin, cos and asin (not always correctly rounded, about 0.52 ulp at worst) and Cascade's
     * correctly rounded ones can put one ulp apart in about one point in a thousand, so those are compared
     * to 4 ulps; geohash scores (STORE) must be equal.
     */
    private static final String STORED = "stored~";

    private static void sameStored(Twin.Session s, String key) throws IOException {
        List<String> e = values(s.redis.call("ZRANGE", key, "0", "-1", "WITHSCORES"));
        List<String> a = values(s.cascade.call("ZRANGE", key, "0", "-1", "WITHSCORES"));
        assertEquals(e.size(), a.size(), "stored " + key);
        for (int i = 0; i < e.size(); i += 2) {
            assertEquals(e.get(i), a.get(i), "member " + (i / 2) + " of " + key);
            double x = Double.parseDouble(e.get(i + 1));
            double y = Double.parseDouble(a.get(i + 1));
            assertTrue(Math.abs(x - y) <= 4 * Math.ulp(x), "score of " + e.get(i) + " in " + key + ": " + x
                    + " vs " + y);
        }
        s.same("DEL", key);
    }

    /** The strings and doubles of a reply of (nested) arrays, RESP2 or RESP3, in order. */
    private static List<String> values(String reply) {
        List<String> out = new ArrayList<>();
        String[] lines = reply.split("\r\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("$")) {
                out.add(lines[++i]);
            } else if (lines[i].startsWith(",")) {
                out.add(lines[i].substring(1));
            }
        }
        return out;
    }

    private static void sameInBothProtocols(String... lines) throws IOException {
        List<String[]> commands = new ArrayList<>();
        for (String line : lines) {
            commands.add(c(line));
        }
        sameInBothProtocols(commands);
    }

    private static String num(double d) {
        return Double.toString(d);
    }

    private static final String SICILY = "GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania "
            + "12.758489 38.788135 edge1 17.241510 38.788135 edge2";

    @Test
    void addPositionsHashesAndDistances() throws IOException {
        sameInBothProtocols(SICILY, "GEOADD Sicily 13.361389 38.115556 Palermo", "GEOADD Sicily CH 13.5 38.1 Palermo",
                "GEOADD Sicily NX 1 1 Palermo 2 2 new", "GEOADD Sicily XX 1 1 Palermo 3 3 absent",
                "GEOADD Sicily CH NX 4 4 Palermo 5 5 new2", "GEOADD Sicily CH XX 13.361389 38.115556 Palermo",
                "GEOADD Sicily xx nx 1 1 a", "GEOADD Sicily gt 1 1 a", "GEOADD Sicily 1 1", "GEOADD Sicily 1 1 a 2",
                "GEOADD Sicily 181 1 a", "GEOADD Sicily 1 85.06 a", "GEOADD Sicily -180.5 -86 a", "GEOADD Sicily x 1 a",
                "GEOADD Sicily 1 nan a", "GEOADD Sicily inf 1 a", "GEOADD Sicily 1e300 1 a", "GEOADD Sicily -0.0000004 90 a",
                "GEOADD Sicily 180 85.05112878 corner -180 -85.05112878 corner2 0 0 zero -0 -0 negzero",
                "ZRANGE Sicily 0 -1 WITHSCORES", "GEOPOS Sicily Palermo Catania nothere corner corner2 zero negzero",
                "GEOPOS Sicily", "GEOPOS nokey a b", "GEOHASH Sicily Palermo Catania nothere corner corner2 zero",
                "GEOHASH nokey a", "GEOHASH Sicily", "GEODIST Sicily Palermo Catania", "GEODIST Sicily Palermo Catania km",
                "GEODIST Sicily Palermo Catania MI", "GEODIST Sicily Palermo Catania ft", "GEODIST Sicily Palermo Catania m",
                "GEODIST Sicily Palermo Catania yards", "GEODIST Sicily Palermo Catania km extra",
                "GEODIST Sicily Palermo nothere", "GEODIST nokey a b", "GEODIST nokey a b parsecs",
                "GEODIST Sicily Palermo Palermo", "GEODIST Sicily corner corner2", "GEODIST Sicily zero corner",
                "ZADD Sicily -1 neg 1e300 huge inf pinf -inf ninf 4503599627370496 big 18014398509481984 bigger",
                "GEOPOS Sicily neg huge pinf ninf big bigger", "GEOHASH Sicily neg huge pinf ninf big bigger",
                "GEODIST Sicily neg huge", "SET str x", "GEOADD str 1 1 a", "GEOPOS str a", "GEOHASH str a",
                "GEODIST str a b", "GEOSEARCH str FROMLONLAT 1 1 BYRADIUS 1 km", "GEORADIUS str 1 1 1 km",
                "GEORADIUSBYMEMBER str a 1 km", "GEOSEARCHSTORE dst str FROMLONLAT 1 1 BYRADIUS 1 km",
                "GEOSEARCHSTORE str Sicily FROMLONLAT 15 37 BYRADIUS 200 km", "TYPE str");
    }

    @Test
    void searchOptionsAndErrors() throws IOException {
        sameInBothProtocols(SICILY,
                "GEORADIUS Sicily 15 37 200 km", "GEORADIUS Sicily 15 37 200 km ASC", "GEORADIUS Sicily 15 37 200 km DESC",
                "GEORADIUS Sicily 15 37 200 km WITHDIST WITHCOORD WITHHASH", "GEORADIUS Sicily 15 37 200 km COUNT 1",
                "GEORADIUS Sicily 15 37 200 km COUNT 2 DESC", "GEORADIUS Sicily 15 37 200 km COUNT 1 ANY",
                "GEORADIUS Sicily 15 37 200 km COUNT 3 ANY ASC", "GEORADIUS Sicily 15 37 200 km ANY",
                "GEORADIUS Sicily 15 37 200 km COUNT", "GEORADIUS Sicily 15 37 200 km COUNT 0",
                "GEORADIUS Sicily 15 37 200 km COUNT -1", "GEORADIUS Sicily 15 37 200 km COUNT x",
                "GEORADIUS Sicily 15 37 -1 km", "GEORADIUS Sicily 15 37 x km", "GEORADIUS Sicily 15 37 1 parsec",
                "GEORADIUS Sicily 200 37 1 km", "GEORADIUS Sicily 15 37 200 km bogus", "GEORADIUS nokey 15 37 200 km",
                "GEORADIUS Sicily 15 37 200 km STORE", "GEORADIUS Sicily 15 37 200 km STORE dst WITHDIST",
                "GEORADIUS Sicily 15 37 200 km STOREDIST dst WITHCOORD", "GEORADIUS_RO Sicily 15 37 200 km STORE dst",
                "GEORADIUS_RO Sicily 15 37 200 km WITHDIST", "GEORADIUSBYMEMBER Sicily Palermo 200 km WITHDIST",
                "GEORADIUSBYMEMBER Sicily nothere 200 km", "GEORADIUSBYMEMBER nokey nothere 200 km",
                "GEORADIUSBYMEMBER nokey nothere 200 parsecs", "GEORADIUSBYMEMBER_RO Sicily Palermo 200 km COUNT 2",
                "GEORADIUSBYMEMBER_RO Sicily Palermo 200 km STOREDIST dst",
                "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km ASC WITHCOORD WITHDIST WITHHASH",
                "GEOSEARCH Sicily FROMMEMBER Palermo BYBOX 400 400 km DESC WITHDIST",
                "GEOSEARCH Sicily FROMMEMBER Palermo FROMLONLAT 15 37 BYRADIUS 200 km",
                "GEOSEARCH Sicily FROMLONLAT 15 37 FROMMEMBER Palermo BYRADIUS 200 km",
                "GEOSEARCH Sicily BYRADIUS 200 km", "geosearch Sicily BYRADIUS 200 km",
                "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km BYBOX 1 1 km", "GEOSEARCH Sicily FROMLONLAT 15 37",
                "GEOSEARCH Sicily FROMLONLAT 15 37 ASC", "GEOSEARCH Sicily FROMMEMBER nothere BYRADIUS 1 km",
                "GEOSEARCH nokey FROMMEMBER nothere BYRADIUS 1 km", "GEOSEARCH nokey FROMLONLAT 15 37 BYRADIUS 1 km",
                "GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX -1 1 km", "GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX x 1 km",
                "GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 1 y km", "GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 1 1 ly",
                "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 1", "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km STORE x",
                "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km STOREDIST",
                "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km COUNT 2 ANY WITHDIST",
                "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km ANY COUNT 2",
                "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km ANY",
                "GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 200 km WITHDIST",
                "GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 200 km STORE x",
                "GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 200 km", "ZRANGE dst 0 -1 WITHSCORES",
                "GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 200 km STOREDIST COUNT 2 DESC",
                "ZRANGE dst 0 -1 WITHSCORES", "OBJECT ENCODING dst",
                "GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 1 m", "EXISTS dst",
                "SET dst x", "EXPIRE dst 100", "GEOSEARCHSTORE dst nokey FROMLONLAT 15 37 BYRADIUS 1 m", "EXISTS dst",
                "GEORADIUS Sicily 15 37 200 km STORE dst2", "ZRANGE dst2 0 -1 WITHSCORES",
                "GEORADIUS Sicily 15 37 200 km STOREDIST dst2 COUNT 1", "ZRANGE dst2 0 -1 WITHSCORES",
                "GEORADIUSBYMEMBER Sicily Palermo 100 km STOREDIST dst3 STORE dst4", "EXISTS dst3 dst4",
                "ZRANGE dst4 0 -1 WITHSCORES", "GEORADIUSBYMEMBER nokey x 100 km STORE dst4", "EXISTS dst4",
                "GEORADIUS Sicily 15 37 1 m STORE dst2", "EXISTS dst2",
                "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 0 km", "GEOSEARCH Sicily FROMMEMBER Palermo BYRADIUS 0 km",
                "GEOSEARCH Sicily FROMMEMBER Palermo BYBOX 0 0 km WITHCOORD",
                "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 1e10 km", "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS inf km",
                "GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX inf inf km WITHDIST");
    }

    /** Seeded random points over the whole globe, searched from random places with every option and unit. */
    @Test
    void randomGlobe() throws IOException {
        Random r = new Random(20261203);
        List<String[]> cmds = new ArrayList<>();
        addRandomPoints(cmds, r, "g", 1500, -180, 180, -LAT_MAX, LAT_MAX);
        for (int i = 0; i < 150; i++) {
            cmds.add(randomSearch(r, "g", 1500));
            cmds.add(new String[] {STORED, "dst"});
        }
        for (int i = 0; i < 30; i++) {
            cmds.add(c("GEODIST g p" + r.nextInt(1500) + " p" + r.nextInt(1500) + " " + UNITS[r.nextInt(UNITS.length)]));
            cmds.add(c("GEOPOS g p" + r.nextInt(1500) + " p" + r.nextInt(1500)));
            cmds.add(c("GEOHASH g p" + r.nextInt(1500) + " p" + r.nextInt(1500)));
        }
        sameInBothProtocols(cmds);
    }

    /** Dense points near the poles and on both sides of the antimeridian, where the areas wrap and narrow. */
    @Test
    void polesAndAntimeridian() throws IOException {
        Random r = new Random(7);
        List<String[]> cmds = new ArrayList<>();
        addRandomPoints(cmds, r, "n", 300, -180, 180, 80, LAT_MAX);
        addRandomPoints(cmds, r, "s", 300, -180, 180, -LAT_MAX, -80);
        addRandomPoints(cmds, r, "e", 300, 178, 180, -10, 10);
        addRandomPoints(cmds, r, "w", 300, -180, -178, -10, 10);
        double[][] centers = {{0, LAT_MAX}, {179.9, 84}, {-179.99, -85}, {180, 0}, {-180, 0}, {179.5, 1}, {-179.5, -1},
                {90, 83}, {0, -LAT_MAX}};
        for (String key : new String[] {"n", "s", "e", "w"}) {
            for (double[] ct : centers) {
                for (String size : new String[] {"10", "100", "500", "2000", "20000"}) {
                    cmds.add(c("GEOSEARCH " + key + " FROMLONLAT " + ct[0] + " " + ct[1] + " BYRADIUS " + size
                            + " km WITHDIST WITHCOORD ASC"));
                    cmds.add(c("GEOSEARCH " + key + " FROMLONLAT " + ct[0] + " " + ct[1] + " BYBOX " + size + " "
                            + size + " km WITHDIST DESC"));
                }
            }
            for (int i = 0; i < 20; i++) {
                cmds.add(randomSearch(r, key, 300));
                cmds.add(new String[] {STORED, "dst"});
            }
        }
        sameInBothProtocols(cmds);
    }

    /**
     * Points around a circle and a box: the radius taken from GEODIST's own figure, then nudged by a tenth of
     * a millimetre either way, so the points just on the border fall the same side on both.
     */
    @Test
    void radiusBorder() throws IOException {
        Random r = new Random(99);
        List<String[]> cmds = new ArrayList<>();
        addRandomPoints(cmds, r, "b", 400, 10, 10.5, 45, 45.5);
        cmds.add(c("GEOADD b 10.25 45.25 center"));
        try (Twin.Session s = twin.session()) {
            s.same("FLUSHALL");
            for (String[] cmd : cmds) {
                s.same(cmd);
            }
            for (int i = 0; i < 60; i++) {
                String member = "p" + r.nextInt(400);
                String unit = UNITS[r.nextInt(UNITS.length)];
                String reply = s.same("GEODIST", "b", "center", member, unit);
                String dist = reply.split("\r\n")[1];
                double d = Double.parseDouble(dist);
                for (double radius : new double[] {d, d - 0.0001, d + 0.0001, Math.nextUp(d), Math.nextDown(d)}) {
                    cmds.add(c("GEORADIUSBYMEMBER b center " + num(radius) + " " + unit + " WITHDIST ASC"));
                    cmds.add(c("GEOSEARCH b FROMMEMBER center BYBOX " + num(2 * radius) + " " + num(radius) + " "
                            + unit + " WITHDIST"));
                    cmds.add(c("GEOSEARCH b FROMLONLAT 10.25 45.25 BYRADIUS " + num(radius) + " " + unit
                            + " COUNT 5 DESC WITHHASH"));
                }
            }
        }
        sameInBothProtocols(cmds);
    }

    /** Members at the same places (equal distances): the order COUNT's partial sort and the full sort leave. */
    @Test
    void equalDistancesAndStoreForms() throws IOException {
        List<String[]> cmds = new ArrayList<>();
        StringBuilder add = new StringBuilder("GEOADD t");
        for (int i = 0; i < 120; i++) {
            double lon = 2 + (i % 4) * 0.01;
            double lat = 48 + ((i / 4) % 3) * 0.01;
            add.append(' ').append(lon).append(' ').append(lat).append(" m").append(i);
        }
        cmds.add(c(add.toString()));
        for (String count : new String[] {"", " COUNT 1", " COUNT 7", " COUNT 41", " COUNT 60", " COUNT 119",
                " COUNT 500", " COUNT 10 ANY", " COUNT 50 ANY DESC"}) {
            for (String order : new String[] {"", " ASC", " DESC"}) {
                if (count.contains("ANY") && !order.isEmpty()) {
                    continue;
                }
                cmds.add(c("GEOSEARCH t FROMLONLAT 2.015 48.01 BYRADIUS 10 km WITHDIST" + count + order));
                cmds.add(c("GEORADIUS t 2.015 48.01 10 km" + count + order));
                cmds.add(c("GEOSEARCHSTORE st t FROMLONLAT 2.015 48.01 BYBOX 10 10 km STOREDIST" + count + order));
                cmds.add(c("ZRANGE st 0 -1 WITHSCORES"));
                cmds.add(c("GEORADIUSBYMEMBER t m5 5 mi STORE st2" + count + order));
                cmds.add(c("ZRANGE st2 0 -1 WITHSCORES"));
                cmds.add(c("OBJECT ENCODING st2"));
            }
        }
        cmds.add(c("CONFIG SET zset-max-listpack-entries 16"));
        cmds.add(c("GEORADIUS t 2.015 48.01 10 km STOREDIST big"));
        cmds.add(c("OBJECT ENCODING big"));
        cmds.add(c("GEORADIUS t 2.015 48.01 10 km STOREDIST small COUNT 16"));
        cmds.add(c("OBJECT ENCODING small"));
        cmds.add(c("CONFIG SET zset-max-listpack-entries 128"));
        sameInBothProtocols(cmds);
    }

    /** Huge and tiny radii and boxes, whose areas go from the whole Earth to a single 26-step cell. */
    @Test
    void hugeAndTinyAreas() throws IOException {
        Random r = new Random(3);
        List<String[]> cmds = new ArrayList<>();
        addRandomPoints(cmds, r, "h", 500, -180, 180, -LAT_MAX, LAT_MAX);
        addRandomPoints(cmds, r, "h", 200, 10, 10.0001, 20, 20.0001);
        for (String size : new String[] {"0", "0.00001", "0.5", "3", "50", "5000", "50000", "500000", "5000000",
                "20037726", "40000000", "1e9"}) {
            for (String unit : new String[] {"m", "km", "mi", "ft"}) {
                cmds.add(c("GEOSEARCH h FROMLONLAT 10.00005 20.00005 BYRADIUS " + size + " " + unit
                        + " COUNT 20 WITHDIST WITHCOORD"));
                cmds.add(c("GEOSEARCH h FROMLONLAT -120 60 BYBOX " + size + " " + size + " " + unit
                        + " COUNT 20 DESC WITHDIST"));
                cmds.add(c("GEORADIUS h 10.00005 20.00005 " + size + " " + unit + " STOREDIST hs"));
                cmds.add(c("ZCARD hs"));
            }
        }
        sameInBothProtocols(cmds);
    }

    private static void addRandomPoints(List<String[]> cmds, Random r, String key, int n, double lonMin,
                                        double lonMax, double latMin, double latMax) {
        StringBuilder b = new StringBuilder("GEOADD " + key);
        for (int i = 0; i < n; i++) {
            double lon = lonMin + r.nextDouble() * (lonMax - lonMin);
            double lat = latMin + r.nextDouble() * (latMax - latMin);
            b.append(' ').append(num(lon)).append(' ').append(num(lat)).append(" p").append(i);
            if (i % 100 == 99 || i == n - 1) {
                cmds.add(c(b.toString()));
                b = new StringBuilder("GEOADD " + key);
            }
        }
    }

    /** One random search: a form, a centre (or member), a size, a unit and options. */
    private static String[] randomSearch(Random r, String key, int members) {
        double lon = -180 + r.nextDouble() * 360;
        double lat = -LAT_MAX + r.nextDouble() * 2 * LAT_MAX;
        String unit = UNITS[r.nextInt(UNITS.length)];
        double meters = Math.pow(10, 2 + r.nextDouble() * 5.3);
        double perUnit = switch (unit.toLowerCase()) {
            case "km" -> 1000;
            case "ft" -> 0.3048;
            case "mi" -> 1609.34;
            default -> 1;
        };
        String size = num(meters / perUnit);
        String member = "p" + r.nextInt(members);
        String opts = "";
        if (r.nextBoolean()) {
            opts += " WITHDIST";
        }
        if (r.nextBoolean()) {
            opts += " WITHCOORD";
        }
        if (r.nextInt(3) == 0) {
            opts += " WITHHASH";
        }
        int order = r.nextInt(3);
        opts += order == 0 ? "" : order == 1 ? " ASC" : " DESC";
        if (r.nextInt(3) == 0) {
            opts += " COUNT " + (1 + r.nextInt(30)) + (r.nextInt(3) == 0 ? " ANY" : "");
        }
        String line = switch (r.nextInt(7)) {
            case 0 -> "GEORADIUS " + key + " " + num(lon) + " " + num(lat) + " " + size + " " + unit + opts;
            case 1 -> "GEORADIUSBYMEMBER_RO " + key + " " + member + " " + size + " " + unit + opts;
            case 2 -> "GEOSEARCH " + key + " FROMMEMBER " + member + " BYBOX " + size + " "
                    + num(meters * r.nextDouble() * 2 / perUnit) + " " + unit + opts;
            case 3 -> "GEOSEARCHSTORE dst " + key + " FROMLONLAT " + num(lon) + " " + num(lat) + " BYRADIUS " + size
                    + " " + unit + (r.nextBoolean() ? " STOREDIST" : "") + opts.replaceAll(" WITH[A-Z]+", "");
            case 4 -> "GEORADIUS " + key + " " + num(lon) + " " + num(lat) + " " + size + " " + unit
                    + opts.replaceAll(" WITH[A-Z]+", "") + (r.nextBoolean() ? " STOREDIST" : " STORE") + " dst";
            default -> "GEOSEARCH " + key + " FROMLONLAT " + num(lon) + " " + num(lat) + " BYRADIUS " + size + " "
                    + unit + opts;
        };
        return c(line);
    }
}
