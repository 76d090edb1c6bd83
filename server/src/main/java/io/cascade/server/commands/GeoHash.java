package io.cascade.server.commands;

/**
 * Redis's geohash.c and geohash_helper.c: the 52-bit interleaved geohash a point's sorted-set score is, its
 * decoding back to the centre of its cell, the neighbour cells, the nine areas a radius or box search visits
 * (geohashCalculateAreasByShapeWGS84) and the haversine distance, with Redis's constants and order of
 * operations so that scores, coordinates and distances are the same doubles. Pure functions, any thread.
 */
final class GeoHash {
    static final int STEP_MAX = 26;
    static final double LAT_MIN = -85.05112878;
    static final double LAT_MAX = 85.05112878;
    static final double LONG_MIN = -180;
    static final double LONG_MAX = 180;

    private static final double D_R = Math.PI / 180.0;
    private static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
    private static final double MERCATOR_MAX = 20037726.37;

    private GeoHash() {
    }

    /** A cell: its bits (step*2 of them) and its step; bits 0 and step 0 is Redis's "zero" (skipped) cell. */
    record Bits(long bits, int step) {
        boolean isZero() {
            return bits == 0 && step == 0;
        }
    }

    /** A cell's bounds. */
    record Area(double lonMin, double lonMax, double latMin, double latMax) {
    }

    /** The search shape (GeoShape): centre, unit conversion, radius or box width/height in that unit. */
    static final class Shape {
        boolean box;
        double lon;
        double lat;
        double conversion;
        double radius;
        double width;
        double height;
    }

    /** The centre cell, its eight neighbours in geo.c's visiting order (zero when excluded). */
    record Areas(Bits[] cells) {
    }

    static double degRad(double ang) {
        return ang * D_R;
    }

    static double radDeg(double ang) {
        return ang / D_R;
    }

    /** interleave64: x's bits at the even positions, y's at the odd ones (x and y are 32-bit unsigned). */
    static long interleave(long x, long y) {
        x = spread(x & 0xffffffffL);
        y = spread(y & 0xffffffffL);
        return x | (y << 1);
    }

    private static long spread(long x) {
        x = (x | (x << 16)) & 0x0000FFFF0000FFFFL;
        x = (x | (x << 8)) & 0x00FF00FF00FF00FFL;
        x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x << 2)) & 0x3333333333333333L;
        x = (x | (x << 1)) & 0x5555555555555555L;
        return x;
    }

    /** deinterleave64: the even bits in the low 32 bits of the result, the odd bits in the high 32. */
    static long deinterleave(long v) {
        return squeeze(v) | (squeeze(v >>> 1) << 32);
    }

    private static long squeeze(long x) {
        x &= 0x5555555555555555L;
        x = (x | (x >>> 1)) & 0x3333333333333333L;
        x = (x | (x >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x >>> 4)) & 0x00FF00FF00FF00FFL;
        x = (x | (x >>> 8)) & 0x0000FFFF0000FFFFL;
        x = (x | (x >>> 16)) & 0x00000000FFFFFFFFL;
        return x;
    }

    /** geohashEncode on the given ranges; null where Redis returns 0 (outside the ranges). */
    static Bits encode(double lonMin, double lonMax, double latMin, double latMax, double lon, double lat,
                       int step) {
        if (lon > LONG_MAX || lon < LONG_MIN || lat > LAT_MAX || lat < LAT_MIN) {
            return null;
        }
        if (lat < latMin || lat > latMax || lon < lonMin || lon > lonMax) {
            return null;
        }
        double latOffset = (lat - latMin) / (latMax - latMin);
        double lonOffset = (lon - lonMin) / (lonMax - lonMin);
        latOffset *= (double) (1L << step);
        lonOffset *= (double) (1L << step);
        // C converts the doubles to uint32_t for interleave64: a truncation (the offsets are within 0..2^26)
        return new Bits(interleave((long) latOffset, (long) lonOffset), step);
    }

    /** geohashEncodeWGS84: Redis's ranges (latitude within +-85.05112878). */
    static Bits encodeWGS84(double lon, double lat, int step) {
        return encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, lon, lat, step);
    }

    /** The sorted-set score of a point: its 26-step hash (geohashAlign52Bits at step 26 is the hash itself). */
    static long score(double lon, double lat) {
        return align52(encodeWGS84(lon, lat, STEP_MAX));
    }

    static long align52(Bits h) {
        return h.bits() << (52 - h.step() * 2);
    }

    /** geohashDecode on Redis's ranges; null for the zero cell. */
    static Area decode(Bits h) {
        if (h.isZero()) {
            return null;
        }
        long sep = deinterleave(h.bits());
        double latScale = LAT_MAX - LAT_MIN;
        double lonScale = LONG_MAX - LONG_MIN;
        long ilato = sep & 0xffffffffL;
        long ilono = sep >>> 32;
        double div = (double) (1L << h.step());
        return new Area(LONG_MIN + (ilono * 1.0 / div) * lonScale, LONG_MIN + (((ilono + 1) & 0xffffffffL) * 1.0 / div) * lonScale,
                LAT_MIN + (ilato * 1.0 / div) * latScale, LAT_MIN + (((ilato + 1) & 0xffffffffL) * 1.0 / div) * latScale);
    }

    /**
     * decodeGeohash: a score read back as the centre of its 26-step cell, clamped to the valid ranges. The
     * score goes through C's (uint64_t) conversion, which the x86-64 code gcc emits computes as below for any
     * double a sorted set may hold (negative, huge, infinite).
     */
    static double[] decodeScore(double score) {
        Area a = decode(new Bits(toUint64(score), STEP_MAX));
        double x = (a.lonMin() + a.lonMax()) / 2;
        x = Math.max(LONG_MIN, Math.min(LONG_MAX, x));
        double y = (a.latMin() + a.latMax()) / 2;
        y = Math.max(LAT_MIN, Math.min(LAT_MAX, y));
        return new double[] {x, y};
    }

    /** (uint64_t) d as gcc compiles it on x86-64: cvttsd2si, and past 2^63 on d - 2^63 with the top bit set. */
    static long toUint64(double d) {
        double two63 = 9.223372036854775808e18;
        if (d < two63) {
            return (long) d; // Java saturates below -2^63 to Long.MIN_VALUE, as cvttsd2si's "indefinite" value
        }
        double r = d - two63;
        long v = r < two63 ? (long) r : Long.MIN_VALUE; // NaN and >= 2^64 give the indefinite value
        return v ^ Long.MIN_VALUE;
    }

    private static long moveX(long bits, int step, int d) {
        long x = bits & 0xaaaaaaaaaaaaaaaaL;
        long y = bits & 0x5555555555555555L;
        long zz = 0x5555555555555555L >>> (64 - step * 2);
        if (d > 0) {
            x = x + (zz + 1);
        } else {
            x = x | zz;
            x = x - (zz + 1);
        }
        x &= (0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2));
        return x | y;
    }

    private static long moveY(long bits, int step, int d) {
        long x = bits & 0xaaaaaaaaaaaaaaaaL;
        long y = bits & 0x5555555555555555L;
        long zz = 0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2);
        if (d > 0) {
            y = y + (zz + 1);
        } else {
            y = y | zz;
            y = y - (zz + 1);
        }
        y &= (0x5555555555555555L >>> (64 - step * 2));
        return x | y;
    }

    private static Bits neighbour(Bits h, int dx, int dy) {
        long b = h.bits();
        if (dx != 0) {
            b = moveX(b, h.step(), dx);
        }
        if (dy != 0) {
            b = moveY(b, h.step(), dy);
        }
        return new Bits(b, h.step());
    }

    /** geohashBoundingBox: min lon, min lat, max lon, max lat of the shape. */
    static double[] boundingBox(Shape s) {
        double height = s.conversion * (s.box ? s.height / 2 : s.radius);
        double width = s.conversion * (s.box ? s.width / 2 : s.radius);
        double latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
        double longDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / GeoLibm.cos(degRad(s.lat + latDelta)));
        double longDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / GeoLibm.cos(degRad(s.lat - latDelta)));
        boolean southern = s.lat < 0;
        return new double[] {southern ? s.lon - longDeltaBottom : s.lon - longDeltaTop, s.lat - latDelta,
                southern ? s.lon + longDeltaBottom : s.lon + longDeltaTop, s.lat + latDelta};
    }

    /** geohashEstimateStepsByRadius. */
    static int estimateSteps(double rangeMeters, double lat) {
        if (rangeMeters == 0) {
            return 26;
        }
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) {
                step--;
            }
        }
        return Math.max(1, Math.min(26, step));
    }

    /**
     * geohashCalculateAreasByShapeWGS84 and membersOfAllNeighbors' order: the centre cell, then north, south,
     * east, west, north-east, north-west, south-east, south-west; cells the shape cannot reach are zero.
     */
    static Bits[] areas(Shape s) {
        double[] b = boundingBox(s);
        double minLon = b[0];
        double minLat = b[1];
        double maxLon = b[2];
        double maxLat = b[3];
        double radiusMeters = s.box ? Math.sqrt((s.width / 2) * (s.width / 2) + (s.height / 2) * (s.height / 2))
                : s.radius;
        radiusMeters *= s.conversion;
        int steps = estimateSteps(radiusMeters, s.lat);
        Bits hash = encodeWGS84(s.lon, s.lat, steps);
        Area area = decode(hash);
        boolean decrease = decode(neighbour(hash, 0, 1)).latMax() < maxLat
                || decode(neighbour(hash, 0, -1)).latMin() > minLat
                || decode(neighbour(hash, 1, 0)).lonMax() < maxLon
                || decode(neighbour(hash, -1, 0)).lonMin() > minLon;
        if (steps > 1 && decrease) {
            steps--;
            hash = encodeWGS84(s.lon, s.lat, steps);
            area = decode(hash);
        }
        Bits zero = new Bits(0, 0);
        Bits north = neighbour(hash, 0, 1);
        Bits south = neighbour(hash, 0, -1);
        Bits east = neighbour(hash, 1, 0);
        Bits west = neighbour(hash, -1, 0);
        Bits northEast = neighbour(hash, 1, 1);
        Bits northWest = neighbour(hash, -1, 1);
        Bits southEast = neighbour(hash, 1, -1);
        Bits southWest = neighbour(hash, -1, -1);
        if (steps >= 2) {
            if (area.latMin() < minLat) {
                south = southWest = southEast = zero;
            }
            if (area.latMax() > maxLat) {
                north = northEast = northWest = zero;
            }
            if (area.lonMin() < minLon) {
                west = southWest = northWest = zero;
            }
            if (area.lonMax() > maxLon) {
                east = southEast = northEast = zero;
            }
        }
        return new Bits[] {hash, north, south, east, west, northEast, northWest, southEast, southWest};
    }

    static double latDistance(double lat1d, double lat2d) {
        return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
    }

    /** geohashGetDistance: the haversine great-circle distance in meters. */
    static double distance(double lon1d, double lat1d, double lon2d, double lat2d) {
        double lon1r = degRad(lon1d);
        double lon2r = degRad(lon2d);
        double v = GeoLibm.sin((lon2r - lon1r) / 2);
        if (v == 0.0) {
            return latDistance(lat1d, lat2d);
        }
        double lat1r = degRad(lat1d);
        double lat2r = degRad(lat2d);
        double u = GeoLibm.sin((lat2r - lat1r) / 2);
        double a = u * u + GeoLibm.cos(lat1r) * GeoLibm.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS_IN_METERS * GeoLibm.asin(Math.sqrt(a));
    }

    /**
     * The same haversine with Java's Math functions (each within one ulp, where GeoLibm is exact but slower):
     * good to far better than NEAR_BORDER, so that only points near the border, and the points kept, need the
     * exact distance.
     */
    static double distanceFast(double lon1d, double lat1d, double lon2d, double lat2d) {
        double lon1r = degRad(lon1d);
        double lon2r = degRad(lon2d);
        double v = Math.sin((lon2r - lon1r) / 2);
        if (v == 0.0) {
            return latDistance(lat1d, lat2d);
        }
        double lat1r = degRad(lat1d);
        double lat2r = degRad(lat2d);
        double u = Math.sin((lat2r - lat1r) / 2);
        double a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
    }

    /**
     * Relative margin within which distanceFast cannot decide a comparison (its error is about 1e-15, and
     * stays under 1e-8 even where asin is ill-conditioned, for nearly antipodal points).
     */
    private static final double NEAR_BORDER = 1e-7;

    /** distance(...) > limit, computed exactly only when the fast distance is near the limit. */
    private static boolean farther(double lon1, double lat1, double lon2, double lat2, double limit) {
        double fast = distanceFast(lon1, lat1, lon2, lat2);
        if (fast > limit * (1 + NEAR_BORDER) + 1e-9) {
            return true;
        }
        if (fast < limit * (1 - NEAR_BORDER) - 1e-9) {
            return false;
        }
        return distance(lon1, lat1, lon2, lat2) > limit;
    }

    /**
     * geoWithinShape on a decoded point: its distance from the centre, or null when outside. A NaN distance
     * (asin of a rounded 1 + ulp) is inside, as Redis's "distance > radius" is false for it.
     */
    static Double within(Shape s, double lon, double lat) {
        if (!s.box) {
            if (farther(s.lon, s.lat, lon, lat, s.radius * s.conversion)) {
                return null;
            }
            return distance(s.lon, s.lat, lon, lat);
        }
        double widthM = s.width * s.conversion;
        double heightM = s.height * s.conversion;
        if (latDistance(lat, s.lat) > heightM / 2) {
            return null;
        }
        if (farther(lon, lat, s.lon, lat, widthM / 2)) {
            return null;
        }
        return distance(s.lon, s.lat, lon, lat);
    }
}
