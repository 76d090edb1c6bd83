package io.cascade.server.commands;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The geo family's arithmetic: geohash scores and their decoding on the values Redis 7.0.15 gives (documented
 * examples, checked against redis-server), the distance format, and GeoLibm's sin, cos and asin rounded
 * correctly (checked against 60-digit BigDecimal series) on seeded random arguments of the ranges geo uses.
 */
class GeoMathTest {
    private static final MathContext MC = new MathContext(60);

    @Test
    void scoresAndPositionsAreRedisOnes() {
        assertEquals(3479099956230698L, GeoHash.score(13.361389, 38.115556));
        assertEquals(3479447370796909L, GeoHash.score(15.087269, 37.502669));
        // the top corner: both offsets are 2^26, whose bit lands past the 52 bits
        assertEquals(13510798882111488L, GeoHash.score(180, 85.05112878));
        double[] xy = GeoHash.decodeScore(3479099956230698.0);
        assertEquals("13.36138933897018433", human(xy[0]));
        assertEquals("38.11555639549629859", human(xy[1]));
        double[] corner = GeoHash.decodeScore(13510798882111488.0);
        assertEquals("180", human(corner[0]));
        assertEquals("85.0511287799999991", human(corner[1]));
        double[] c = GeoHash.decodeScore(3479447370796909.0);
        assertEquals("166274.1516", new String(GeoCommands.distance(GeoHash.distance(xy[0], xy[1], c[0], c[1]))));
    }

    @Test
    void distanceFormatRoundsHalfToEven() {
        assertEquals("0.0000", new String(GeoCommands.distance(0)));
        assertEquals("0.0001", new String(GeoCommands.distance(0.00005000000000001)));
        // llrint: 0.00015 * 10000 is 1.4999999999999998, and exact halves go to the even neighbour
        assertEquals("0.0001", new String(GeoCommands.distance(0.00015)));
        assertEquals("0.0012", new String(GeoCommands.distance(0.00125)));
        assertEquals("0.0038", new String(GeoCommands.distance(0.00375)));
        assertEquals("12.5000", new String(GeoCommands.distance(12.5)));
        assertEquals("1234567.1235", new String(GeoCommands.distance(1234567.12345678)));
    }

    @Test
    void printfFormatOfTheInvalidPairError() {
        assertEquals("200.000000", GeoCommands.printfF(200));
        assertEquals("-0.000000", GeoCommands.printfF(-0.0000001));
        assertEquals("0.000001", GeoCommands.printfF(0.0000005000000001));
        assertEquals("inf", GeoCommands.printfF(Double.POSITIVE_INFINITY));
    }

    @Test
    void sinAndCosAreCorrectlyRounded() {
        Random r = new Random(11);
        for (int i = 0; i < 20000; i++) {
            double x = (r.nextDouble() * 2 - 1) * (i % 2 == 0 ? 3.2 : 0.05);
            BigDecimal[] sc = GeoLibm.sinCosExact(new BigDecimal(x), MC);
            assertEquals(sc[0].doubleValue(), GeoLibm.sin(x), "sin " + x);
            assertEquals(sc[1].doubleValue(), GeoLibm.cos(x), "cos " + x);
        }
    }

    @Test
    void asinIsCorrectlyRounded() {
        Random r = new Random(12);
        for (int i = 0; i < 5000; i++) {
            double x = switch (i % 3) {
                case 0 -> r.nextDouble();
                case 1 -> r.nextDouble() * 0.01;
                default -> 1 - r.nextDouble() * 1e-9;
            };
            double y = GeoLibm.asin(x);
            // y is the nearest double to asin(x) when x lies between the sines of the midpoints around y
            BigDecimal lo = mid(y, Math.nextDown(y));
            BigDecimal hi = mid(y, Math.nextUp(y));
            BigDecimal bx = new BigDecimal(x);
            assertTrue(sin(lo).compareTo(bx) <= 0 && bx.compareTo(sin(hi)) <= 0, "asin " + x + " = " + y);
        }
        assertEquals(Math.PI / 2, GeoLibm.asin(1));
        assertEquals(0.0, GeoLibm.asin(0));
        assertTrue(Double.isNaN(GeoLibm.asin(1.0000000000000002)));
    }

    private static BigDecimal mid(double a, double b) {
        return new BigDecimal(a).add(new BigDecimal(b)).divide(BigDecimal.valueOf(2), MC);
    }

    private static BigDecimal sin(BigDecimal a) {
        return GeoLibm.sinCosExact(a, MC)[0];
    }

    private static String human(double d) {
        String s = new BigDecimal(d).setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
