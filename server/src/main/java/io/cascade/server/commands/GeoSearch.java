package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.Errors;
import io.cascade.storage.types.RZSet;
import io.cascade.storage.types.ZNode;
import io.cascade.storage.types.ZRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * georadiusGeneric: GEOSEARCH, GEOSEARCHSTORE and the deprecated GEORADIUS[BYMEMBER][_RO], parsed in Redis's
 * order (so the same error wins), the candidates collected from the nine geohash areas in Redis's order, then
 * sorted as Redis sorts them (glibc's stable qsort, or pqsort when COUNT cuts the result) and replied or
 * stored. Command thread.
 */
final class GeoSearch {
    static final int RADIUS_COORDS = 1;
    static final int RADIUS_MEMBER = 1 << 1;
    static final int RADIUS_NOSTORE = 1 << 2;
    static final int GEOSEARCH = 1 << 3;
    static final int GEOSEARCHSTORE = 1 << 4;

    private static final int SORT_NONE = 0;
    private static final int SORT_ASC = 1;
    private static final int SORT_DESC = 2;

    /** A point found (geoPoint): decoded coordinates, distance in meters (then in the unit), score, member. */
    static final class Point {
        final double lon;
        final double lat;
        double dist;
        final double score;
        final byte[] member;

        Point(double lon, double lat, double dist, double score, byte[] member) {
            this.lon = lon;
            this.lat = lat;
            this.dist = dist;
            this.score = score;
            this.member = member;
        }
    }

    private GeoSearch() {
    }

    static void search(CommandContext c, int srcKeyIndex, int flags) {
        byte[] storeKey = null;
        boolean storeDist = false;
        RZSet z = c.lookup(c.argv[srcKeyIndex], RZSet.class);
        GeoHash.Shape shape = new GeoHash.Shape();
        int baseArgs;
        if ((flags & RADIUS_COORDS) != 0) {
            baseArgs = 6;
            double[] xy = GeoCommands.longLat(c.argv[2], c.argv[3]);
            shape.lon = xy[0];
            shape.lat = xy[1];
            radius(c, 4, shape);
        } else if ((flags & RADIUS_MEMBER) != 0 && z == null) {
            // no source key: the arguments are still parsed, to know which empty reply to give
            baseArgs = 5;
        } else if ((flags & RADIUS_MEMBER) != 0) {
            baseArgs = 5;
            fromMember(z, c.argv[2], shape);
            radius(c, 3, shape);
        } else {
            baseArgs = 2;
            if ((flags & GEOSEARCHSTORE) != 0) {
                baseArgs = 3;
                storeKey = c.argv[1];
            }
        }
        boolean withDist = false, withHash = false, withCoords = false;
        boolean fromMember = false, fromLoc = false, byRadius = false, byBox = false, any = false;
        int sort = SORT_NONE;
        long count = 0;
        boolean geosearch = (flags & GEOSEARCH) != 0;
        boolean storeAllowed = (flags & RADIUS_NOSTORE) == 0 && !geosearch;
        int remaining = c.argc() - baseArgs;
        for (int i = 0; i < remaining; i++) {
            int at = baseArgs + i;
            String arg = c.argLower(at);
            if (arg.equals("withdist")) {
                withDist = true;
            } else if (arg.equals("withhash")) {
                withHash = true;
            } else if (arg.equals("withcoord")) {
                withCoords = true;
            } else if (arg.equals("any")) {
                any = true;
            } else if (arg.equals("asc")) {
                sort = SORT_ASC;
            } else if (arg.equals("desc")) {
                sort = SORT_DESC;
            } else if (arg.equals("count") && i + 1 < remaining) {
                count = c.longArg(at + 1);
                if (count <= 0) {
                    throw new CommandException("ERR COUNT must be > 0");
                }
                i++;
            } else if ((arg.equals("store") || arg.equals("storedist")) && i + 1 < remaining && storeAllowed) {
                storeKey = c.argv[at + 1];
                storeDist = arg.equals("storedist");
                i++;
            } else if (arg.equals("storedist") && geosearch && (flags & GEOSEARCHSTORE) != 0) {
                storeDist = true;
            } else if (arg.equals("frommember") && i + 1 < remaining && geosearch && !fromLoc) {
                if (z != null) {
                    fromMember(z, c.argv[at + 1], shape);
                }
                fromMember = true;
                i++;
            } else if (arg.equals("fromlonlat") && i + 2 < remaining && geosearch && !fromMember) {
                double[] xy = GeoCommands.longLat(c.argv[at + 1], c.argv[at + 2]);
                shape.lon = xy[0];
                shape.lat = xy[1];
                fromLoc = true;
                i += 2;
            } else if (arg.equals("byradius") && i + 2 < remaining && geosearch && !byBox) {
                radius(c, at + 1, shape);
                byRadius = true;
                i += 2;
            } else if (arg.equals("bybox") && i + 3 < remaining && geosearch && !byRadius) {
                double w = ZScores.doubleArg(c.argv[at + 1], "ERR need numeric width");
                double h = ZScores.doubleArg(c.argv[at + 2], "ERR need numeric height");
                if (h < 0 || w < 0) {
                    throw new CommandException("ERR height or width cannot be negative");
                }
                shape.width = w;
                shape.height = h;
                shape.conversion = GeoCommands.unit(c.argv[at + 3]);
                shape.box = true;
                byBox = true;
                i += 3;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        if (storeKey != null && (withDist || withHash || withCoords)) {
            throw new CommandException("ERR " + ((flags & GEOSEARCHSTORE) != 0 ? "GEOSEARCHSTORE"
                    : "STORE option in GEORADIUS") + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        if (geosearch && !(fromMember || fromLoc)) {
            throw new CommandException("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + c.arg(0));
        }
        if (geosearch && !(byRadius || byBox)) {
            throw new CommandException("ERR exactly one of BYRADIUS and BYBOX can be specified for " + c.arg(0));
        }
        if (any && count == 0) {
            throw new CommandException("ERR the ANY argument requires COUNT argument");
        }
        if (z == null) {
            if (storeKey != null) {
                deleteStore(c, storeKey);
                c.reply.integer(0);
            } else {
                c.reply.array(0);
            }
            return;
        }
        // COUNT without an order means the nearest COUNT points (but ANY means the first found)
        if (count != 0 && sort == SORT_NONE && !any) {
            sort = SORT_ASC;
        }
        List<Point> found = new ArrayList<>();
        collect(z, GeoHash.areas(shape), shape, found, any ? count : 0);
        if (found.isEmpty() && storeKey == null) {
            c.reply.array(0);
            return;
        }
        int resultLength = found.size();
        int returned = count == 0 || resultLength < count ? resultLength : (int) count;
        Point[] points = found.toArray(new Point[0]);
        if (sort != SORT_NONE) {
            Comparator<Point> asc = (a, b) -> a.dist > b.dist ? 1 : a.dist == b.dist ? 0 : -1;
            Comparator<Point> cmp = sort == SORT_ASC ? asc : (a, b) -> -asc.compare(a, b);
            if (returned == resultLength) {
                Arrays.sort(points, cmp); // stable, as glibc's merge-sort qsort
            } else {
                PartialSort.pqsort(points, cmp, 0, returned - 1);
            }
        }
        if (storeKey == null) {
            reply(c, points, returned, shape.conversion, withDist, withHash, withCoords);
        } else {
            store(c, storeKey, points, returned, shape.conversion, storeDist, geosearch);
        }
    }

    /** extractDistanceOrReply: radius and unit at argv[at], argv[at + 1]. */
    private static void radius(CommandContext c, int at, GeoHash.Shape shape) {
        double distance = ZScores.doubleArg(c.argv[at], "ERR need numeric radius");
        if (distance < 0) {
            throw new CommandException("ERR radius cannot be negative");
        }
        shape.radius = distance;
        shape.conversion = GeoCommands.unit(c.argv[at + 1]);
        shape.box = false;
    }

    private static void fromMember(RZSet z, byte[] member, GeoHash.Shape shape) {
        Double score = z.score(member);
        if (score == null) {
            throw new CommandException("ERR could not decode requested zset member");
        }
        double[] xy = GeoHash.decodeScore(score);
        shape.lon = xy[0];
        shape.lat = xy[1];
    }

    /**
     * membersOfAllNeighbors: each non-zero area not equal to the last one visited, its score range
     * [min, max) walked in order; with a limit (ANY) the walk stops once that many points are in.
     */
    private static void collect(RZSet z, GeoHash.Bits[] cells, GeoHash.Shape shape, List<Point> out, long limit) {
        int lastProcessed = 0;
        for (int i = 0; i < cells.length; i++) {
            GeoHash.Bits cell = cells[i];
            if (cell.isZero()) {
                continue;
            }
            // huge radii make neighbours equal to each other: skip a repeat of the area just visited
            if (lastProcessed != 0 && cell.equals(cells[lastProcessed])) {
                continue;
            }
            if (!out.isEmpty() && limit != 0 && out.size() >= limit) {
                break;
            }
            double min = GeoHash.align52(cell);
            double max = GeoHash.align52(new GeoHash.Bits(cell.bits() + 1, cell.step()));
            ZRange.Score range = new ZRange.Score(min, false, max, true);
            for (ZNode n = z.firstInRange(range); n != null && range.lteMax(n.score()); n = n.next()) {
                double[] xy = GeoHash.decodeScore(n.score());
                Double dist = GeoHash.within(shape, xy[0], xy[1]);
                if (dist != null) {
                    out.add(new Point(xy[0], xy[1], dist, n.score(), n.member()));
                }
                if (!out.isEmpty() && limit != 0 && out.size() >= limit) {
                    break;
                }
            }
            lastProcessed = i;
        }
    }

    private static void reply(CommandContext c, Point[] points, int returned, double conversion, boolean withDist,
                              boolean withHash, boolean withCoords) {
        int options = (withDist ? 1 : 0) + (withCoords ? 1 : 0) + (withHash ? 1 : 0);
        c.reply.array(returned);
        for (int i = 0; i < returned; i++) {
            Point p = points[i];
            p.dist /= conversion;
            if (options > 0) {
                c.reply.array(options + 1);
            }
            c.reply.bulk(p.member);
            if (withDist) {
                c.reply.bulk(GeoCommands.distance(p.dist));
            }
            if (withHash) {
                c.reply.integer((long) p.score);
            }
            if (withCoords) {
                c.reply.array(2);
                GeoCommands.humanLongDouble(c.reply, p.lon);
                GeoCommands.humanLongDouble(c.reply, p.lat);
            }
        }
    }

    /**
     * The STORE forms: a skiplist set of the points (their geohash, or their distance in the unit for
     * STOREDIST) converted to a listpack when small, over the destination; nothing found deletes it.
     * server.dirty counts one per point stored.
     */
    private static void store(CommandContext c, byte[] key, Point[] points, int returned, double conversion,
                              boolean storeDist, boolean geosearch) {
        if (returned == 0) {
            deleteStore(c, key);
            c.reply.integer(0);
            return;
        }
        RZSet z = RZSet.createSkiplist();
        for (int i = 0; i < returned; i++) {
            Point p = points[i];
            p.dist /= conversion;
            z.add(p.member, storeDist ? p.dist : p.score);
        }
        z.convertToListpackIfNeeded();
        c.db().set(key, z);
        c.notify(Notifications.ZSET, geosearch ? "geosearchstore" : "georadiusstore", key);
        c.server.dirty += returned - 1;
        c.reply.integer(returned);
    }

    private static void deleteStore(CommandContext c, byte[] key) {
        if (c.db().delete(key)) {
            c.notify(Notifications.GENERIC, "del", key);
        }
    }
}
