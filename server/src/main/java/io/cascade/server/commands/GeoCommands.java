package io.cascade.server.commands;

import io.cascade.replication.resp.RespWriter;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.storage.types.RZSet;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * The geo family (geo.c): GEOADD, GEOPOS, GEODIST and GEOHASH over sorted sets whose scores are 52-bit
 * geohashes, registering the searches of GeoSearch; the argument helpers and reply formats they share.
 * Command thread.
 */
public final class GeoCommands {
    private static final String RADIUS_COMPLEXITY = "O(N+log(M)) where N is the number of elements inside the "
            + "bounding box of the circular area delimited by center and radius and M is the number of items inside "
            + "the index.";
    private static final String SEARCH_COMPLEXITY = "O(N+log(M)) where N is the number of elements in the "
            + "grid-aligned bounding box area around the shape provided as the filter and M is the number of items "
            + "inside the shape";
    private static final String RADIUS_OPTIONS = "[WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count:integer [ANY]] "
            + "[ASC|DESC]";
    private static final String UNIT = "M|KM|FT|MI";
    private static final String GEOHASH_ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";
    private static final byte[] ZADD = Rewrites.ascii("zadd");

    private GeoCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("geoadd", -5, "write denyoom", GeoCommands::geoadd).keys(1, 1, 1, "RW update").acl("geo")
                .doc("Add one or more geospatial items in the geospatial index represented using a sorted set",
                        "3.2.0", "geo", "O(log(N)) for each item added, where N is the number of elements in the "
                                + "sorted set.", "key:key [NX|XX] [CH] (longitude:double latitude:double "
                                + "member:string)..."));
        t.add(cmd("geopos", -2, "readonly", GeoCommands::geopos).keys(1, 1, 1, "RO access").acl("geo")
                .doc("Returns longitude and latitude of members of a geospatial index", "3.2.0", "geo",
                        "O(N) where N is the number of members requested.", "key:key [member:string...]"));
        t.add(cmd("geodist", -4, "readonly", GeoCommands::geodist).keys(1, 1, 1, "RO access").acl("geo")
                .doc("Returns the distance between two members of a geospatial index", "3.2.0", "geo", "O(log(N))",
                        "key:key member1:string member2:string [" + UNIT + "]"));
        t.add(cmd("geohash", -2, "readonly", GeoCommands::geohash).keys(1, 1, 1, "RO access").acl("geo")
                .doc("Returns members of a geospatial index as standard geohash strings", "3.2.0", "geo",
                        "O(log(N)) for each member requested, where N is the number of elements in the sorted set.",
                        "key:key [member:string...]"));
        String from = "(FROMMEMBER member:string|FROMLONLAT longitude:double latitude:double) ";
        String by = "(BYRADIUS radius:double (" + UNIT + ")|BYBOX width:double height:double (" + UNIT + ")) ";
        t.add(cmd("geosearch", -7, "readonly", c -> GeoSearch.search(c, 1, GeoSearch.GEOSEARCH))
                .keys(1, 1, 1, "RO access").acl("geo")
                .doc("Query a sorted set representing a geospatial index to fetch members inside an area of a box "
                        + "or a circle.", "6.2.0", "geo", SEARCH_COMPLEXITY, "key:key " + from + by
                        + "[ASC|DESC] [COUNT count:integer [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]"));
        t.add(cmd("geosearchstore", -8, "write denyoom",
                c -> GeoSearch.search(c, 2, GeoSearch.GEOSEARCH | GeoSearch.GEOSEARCHSTORE))
                .keys(1, 1, 1, "OW update").keys(2, 2, 1, "RO access").acl("geo")
                .doc("Query a sorted set representing a geospatial index to fetch members inside an area of a box "
                        + "or a circle, and store the result in another key.", "6.2.0", "geo", SEARCH_COMPLEXITY,
                        "destination:key source:key " + from + by + "[ASC|DESC] [COUNT count:integer [ANY]] "
                                + "[STOREDIST]"));
        String radius = "key:key longitude:double latitude:double radius:double (" + UNIT + ") " + RADIUS_OPTIONS;
        String byMember = "key:key member:string radius:double (" + UNIT + ") " + RADIUS_OPTIONS;
        String store = " [STORE key:key] [STOREDIST key:key]";
        t.add(cmd("georadius", -6, "write denyoom", c -> GeoSearch.search(c, 1, GeoSearch.RADIUS_COORDS))
                .keys(1, 1, 1, "RO access").keywordKeys("STORE", 6, 0, 1, 0, "OW update")
                .keywordKeys("STOREDIST", 6, 0, 1, 0, "OW update").acl("geo")
                .doc("Query a sorted set representing a geospatial index to fetch members matching a given maximum "
                        + "distance from a point", "3.2.0", "geo", RADIUS_COMPLEXITY, radius + store));
        t.add(cmd("georadiusbymember", -5, "write denyoom", c -> GeoSearch.search(c, 1, GeoSearch.RADIUS_MEMBER))
                .keys(1, 1, 1, "RO access").keywordKeys("STORE", 5, 0, 1, 0, "OW update")
                .keywordKeys("STOREDIST", 5, 0, 1, 0, "OW update").acl("geo")
                .doc("Query a sorted set representing a geospatial index to fetch members matching a given maximum "
                        + "distance from a member", "3.2.0", "geo", RADIUS_COMPLEXITY, byMember + store));
        t.add(cmd("georadius_ro", -6, "readonly",
                c -> GeoSearch.search(c, 1, GeoSearch.RADIUS_COORDS | GeoSearch.RADIUS_NOSTORE))
                .keys(1, 1, 1, "RO access").acl("geo")
                .doc("A read-only variant for GEORADIUS", "3.2.10", "geo", RADIUS_COMPLEXITY, radius));
        t.add(cmd("georadiusbymember_ro", -5, "readonly",
                c -> GeoSearch.search(c, 1, GeoSearch.RADIUS_MEMBER | GeoSearch.RADIUS_NOSTORE))
                .keys(1, 1, 1, "RO access").acl("geo")
                .doc("A read-only variant for GEORADIUSBYMEMBER", "3.2.10", "geo", RADIUS_COMPLEXITY, byMember));
    }

    /**
     * geoaddCommand: parses its options and points, then runs ZADD key [NX|XX] [CH] score member ... in its
     * place; that ZADD (argv[0] the lower-case "zadd" Redis builds) is what propagates, and its zadd event is
     * the one raised.
     */
    static void geoadd(CommandContext c) {
        boolean xx = false, nx = false;
        int longIdx = 2;
        for (; longIdx < c.argc(); longIdx++) {
            String opt = c.argLower(longIdx);
            if (opt.equals("nx")) {
                nx = true;
            } else if (opt.equals("xx")) {
                xx = true;
            } else if (!opt.equals("ch")) {
                break;
            }
        }
        if ((c.argc() - longIdx) % 3 != 0 || (xx && nx)) {
            throw new CommandException(Errors.SYNTAX);
        }
        int elements = (c.argc() - longIdx) / 3;
        byte[][] zadd = new byte[longIdx + elements * 2][];
        zadd[0] = ZADD;
        System.arraycopy(c.argv, 1, zadd, 1, longIdx - 1);
        for (int i = 0; i < elements; i++) {
            int at = longIdx + i * 3;
            double[] xy = longLat(c.argv[at], c.argv[at + 1]);
            zadd[longIdx + i * 2] = Rewrites.number(GeoHash.score(xy[0], xy[1]));
            zadd[longIdx + i * 2 + 1] = c.argv[at + 2];
        }
        byte[][] original = c.argv;
        c.argv = zadd;
        try {
            ZSetCommands.zadd(c, false);
        } finally {
            c.argv = original;
        }
        c.server.propagation.rewrite(zadd);
    }

    static void geopos(CommandContext c) {
        RZSet z = c.lookup(c.argv[1], RZSet.class);
        c.reply.array(c.argc() - 2);
        for (int j = 2; j < c.argc(); j++) {
            Double score = z == null ? null : z.score(c.argv[j]);
            if (score == null) {
                c.reply.nullArray();
            } else {
                double[] xy = GeoHash.decodeScore(score);
                c.reply.array(2);
                humanLongDouble(c.reply, xy[0]);
                humanLongDouble(c.reply, xy[1]);
            }
        }
    }

    static void geodist(CommandContext c) {
        double toMeter = 1;
        if (c.argc() == 5) {
            toMeter = unit(c.argv[4]);
        } else if (c.argc() > 5) {
            throw new CommandException(Errors.SYNTAX);
        }
        RZSet z = c.lookup(c.argv[1], RZSet.class);
        Double s1 = z == null ? null : z.score(c.argv[2]);
        Double s2 = z == null ? null : z.score(c.argv[3]);
        if (s1 == null || s2 == null) {
            c.reply.nullBulk();
            return;
        }
        double[] a = GeoHash.decodeScore(s1);
        double[] b = GeoHash.decodeScore(s2);
        c.reply.bulk(distance(GeoHash.distance(a[0], a[1], b[0], b[1]) / toMeter));
    }

    /** geohashCommand: the point re-encoded on the standard -90..90 latitude range, as 11 base32 characters. */
    static void geohash(CommandContext c) {
        RZSet z = c.lookup(c.argv[1], RZSet.class);
        c.reply.array(c.argc() - 2);
        for (int j = 2; j < c.argc(); j++) {
            Double score = z == null ? null : z.score(c.argv[j]);
            if (score == null) {
                c.reply.nullBulk();
                continue;
            }
            double[] xy = GeoHash.decodeScore(score);
            long bits = GeoHash.encode(-180, 180, -90, 90, xy[0], xy[1], GeoHash.STEP_MAX).bits();
            byte[] buf = new byte[11];
            for (int i = 0; i < 11; i++) {
                // 52 bits make ten characters; the eleventh, kept for compatibility, is always '0'
                int idx = i == 10 ? 0 : (int) ((bits >>> (52 - ((i + 1) * 5))) & 0x1f);
                buf[i] = (byte) GEOHASH_ALPHABET.charAt(idx);
            }
            c.reply.bulk(buf);
        }
    }

    /** extractLongLatOrReply: two floats, then the range check with C's "%f" of both in the error. */
    static double[] longLat(byte[] lon, byte[] lat) {
        double x = ZScores.doubleArg(lon, ZScores.NOT_FLOAT);
        double y = ZScores.doubleArg(lat, ZScores.NOT_FLOAT);
        if (x < GeoHash.LONG_MIN || x > GeoHash.LONG_MAX || y < GeoHash.LAT_MIN || y > GeoHash.LAT_MAX) {
            throw new CommandException("ERR invalid longitude,latitude pair " + printfF(x) + "," + printfF(y));
        }
        return new double[] {x, y};
    }

    /** extractUnitOrReply: meters per unit. */
    static double unit(byte[] u) {
        switch (CommandTable.lower(u)) {
            case "m":
                return 1;
            case "km":
                return 1000;
            case "ft":
                return 0.3048;
            case "mi":
                return 1609.34;
            default:
                throw new CommandException("ERR unsupported unit provided. please use M, KM, FT, MI");
        }
    }

    /** C's printf "%f": six decimals of the exact binary value, rounded half to even as glibc does. */
    static String printfF(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        String s = new BigDecimal(d).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
        return (d < 0 || (d == 0 && 1 / d < 0)) && !s.startsWith("-") ? "-" + s : s;
    }

    /**
     * addReplyDoubleDistance: fixedpoint_d2string with 4 decimals, llrint(d * 10000) then the digits with a dot;
     * always a bulk string, in RESP3 too.
     */
    static byte[] distance(double d) {
        if (d == 0) {
            return Rewrites.ascii("0.0000");
        }
        double scaled = d * 10000;
        // llrint rounds half to even; out of range (and NaN) it gives LLONG_MIN on x86-64
        long v = Double.isNaN(scaled) || Math.abs(scaled) >= 9.223372036854775807e18 ? Long.MIN_VALUE
                : (long) Math.rint(scaled);
        boolean negative = v < 0;
        String digits = negative ? Long.toUnsignedString(-v) : Long.toString(v);
        while (digits.length() < 5) {
            digits = "0" + digits;
        }
        int dot = digits.length() - 4;
        String s = (negative ? "-" : "") + digits.substring(0, dot) + "." + digits.substring(dot);
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * addReplyHumanLongDouble of a double: "%.17Lf" of the exact value with trailing zeros (and a bare dot)
     * trimmed, "-0" as "0"; a bulk string in RESP2, a "," double in RESP3.
     */
    static void humanLongDouble(RespWriter reply, double d) {
        String s = LongDouble.human(new BigDecimal(d));
        if (reply.resp3()) {
            reply.raw(("," + s + "\r\n").getBytes(StandardCharsets.US_ASCII));
        } else {
            reply.bulk(s);
        }
    }
}
