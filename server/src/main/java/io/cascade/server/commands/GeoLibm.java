package io.cascade.server.commands;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * sin, cos and asin rounded as glibc's libm rounds them (correctly, to the nearest double, in practice on every
 * input), for the geo family's haversine distances and bounding boxes. Java's Math and StrictMath are only
 * within one ulp: one asin in sixteen comes out a neighbour of glibc's, which GEOSEARCHSTORE ... STOREDIST
 * would store as another score. Here the value is computed in double-double (about 2^-86 relative error) and
 * rounded once. Arguments outside the ranges the geo code uses with any effect (|x| > 6 for sin and cos) go to
 * Math. Pure functions, any thread.
 */
final class GeoLibm {
    /** pi/2 as the sum of three doubles (the first is Math.PI / 2). */
    private static final double PIO2_1 = 1.5707963267948966;
    private static final double PIO2_2 = 6.123233995736766e-17;
    private static final double PIO2_3 = -1.4973849048591698e-33;
    private static final double TWO_OVER_PI = 0.6366197723675814;
    /** sin(j/64) and cos(j/64), j = 0..TABLE-1, each as a double-double (hi, lo). */
    private static final int TABLE = 52;
    private static final double[] SIN_HI = new double[TABLE];
    private static final double[] SIN_LO = new double[TABLE];
    private static final double[] COS_HI = new double[TABLE];
    private static final double[] COS_LO = new double[TABLE];

    static {
        MathContext mc = new MathContext(60);
        for (int j = 0; j < TABLE; j++) {
            BigDecimal a = new BigDecimal(j).divide(new BigDecimal(64), mc);
            BigDecimal[] sc = sinCosExact(a, mc);
            SIN_HI[j] = sc[0].doubleValue();
            SIN_LO[j] = sc[0].subtract(new BigDecimal(SIN_HI[j]), mc).doubleValue();
            COS_HI[j] = sc[1].doubleValue();
            COS_LO[j] = sc[1].subtract(new BigDecimal(COS_HI[j]), mc).doubleValue();
        }
    }

    private GeoLibm() {
    }

    /** Taylor series of sin and cos in BigDecimal (|a| < 1): the table's values, and the tests' reference. */
    static BigDecimal[] sinCosExact(BigDecimal a, MathContext mc) {
        BigDecimal eps = BigDecimal.ONE.movePointLeft(mc.getPrecision() + 2);
        BigDecimal sin = BigDecimal.ZERO;
        BigDecimal cos = BigDecimal.ZERO;
        BigDecimal term = BigDecimal.ONE; // a^n / n!
        BigDecimal a2 = a.multiply(a, mc);
        for (int n = 0; term.abs().compareTo(eps) > 0 || n < 4; n++) {
            if (n % 2 == 0) {
                cos = (n / 2) % 2 == 0 ? cos.add(term, mc) : cos.subtract(term, mc);
            } else {
                sin = (n / 2) % 2 == 0 ? sin.add(term, mc) : sin.subtract(term, mc);
            }
            term = term.multiply(a, mc).divide(new BigDecimal(n + 1), mc);
        }
        return new BigDecimal[] {sin, cos};
    }

    static double sin(double x) {
        return sinCos(x, true);
    }

    static double cos(double x) {
        return sinCos(x, false);
    }

    private static double sinCos(double x, boolean sine) {
        if (!(Math.abs(x) <= 6)) {
            return sine ? Math.sin(x) : Math.cos(x); // NaN, infinities and far arguments: no effect on results
        }
        return sinCosDD(x, sine, null);
    }

    /**
     * sin or cos of x (|x| <= 6), rounded; with out, also as a double-double in out[0] + out[1] (asin's
     * residual needs the low part).
     */
    static double sinCosDD(double x, boolean sine, double[] out) {
        int k = (int) Math.rint(x * TWO_OVER_PI);
        double rh = x;
        double rl = 0;
        if (k != 0) {
            // r = x - k*pi/2: k is small, each product is exact as a double-double (fma), the sums are two-sums
            double p = k * PIO2_1;
            double pe = Math.fma(k, PIO2_1, -p);
            double q = k * PIO2_2;
            double qe = Math.fma(k, PIO2_2, -q);
            double s = x - p;
            double bb = s - x;
            double e = (x - (s - bb)) + (-p - bb);
            rh = s;
            rl = e - pe - q - qe - k * PIO2_3;
            double t = rh + rl;
            rl = rl - (t - rh);
            rh = t;
        }
        int quadrant = k & 3;
        boolean useSin = sine ? (quadrant % 2 == 0) : (quadrant % 2 == 1);
        boolean negate = sine ? (quadrant >= 2) : (quadrant == 1 || quadrant == 2);
        double v = kernel(rh, rl, useSin, out);
        if (negate && out != null) {
            out[0] = -out[0];
            out[1] = -out[1];
        }
        return negate ? -v : v;
    }

    /** sin or cos of the double-double r (|r| <= pi/4 + a little) by the table and short Taylor series. */
    private static double kernel(double rh, double rl, boolean sine, double[] out) {
        int j = (int) Math.rint(rh * 64);
        int aj = Math.abs(j);
        double a = j / 64.0;
        // b = r - a, exact in its high part
        double bh0 = rh - a;
        double bh = bh0 + rl;
        double bl = rl - (bh - bh0);
        // b^2 as a double-double
        double b2h = bh * bh;
        double b2l = Math.fma(bh, bh, -b2h) + 2 * bh * bl;
        double t = b2h;
        // sin(b) = b * (1 - b2/6 + tail), cos(b) = 1 - b2/2 + b2^2/24 - tail
        double q6 = b2h / 6;
        double q6l = (Math.fma(-q6, 6, b2h) + b2l) / 6;
        double sTail = t * t * (1.0 / 120 - t * (1.0 / 5040 - t * (1.0 / 362880 - t * (1.0 / 39916800))));
        // ps = 1 - q6 + sTail
        double psh = 1 - q6;
        double psl = ((1 - psh) - q6) - q6l + sTail;
        double ph = psh + psl;
        double pl = psl - (ph - psh);
        // sinb = b * ps
        double sbh = bh * ph;
        double sbl = Math.fma(bh, ph, -sbh) + bh * pl + bl * ph;
        double s1 = sbh + sbl;
        sbl = sbl - (s1 - sbh);
        sbh = s1;
        // cosb = 1 - b2/2 + b2^2/24 - ...
        double h2 = b2h * 0.5;
        double h2l = b2l * 0.5;
        double f4 = b2h * b2h;
        double f4l = Math.fma(b2h, b2h, -f4);
        double q24 = f4 / 24;
        double q24l = (Math.fma(-q24, 24, f4) + f4l) / 24;
        double cTail = t * t * t * (-1.0 / 720 + t * (1.0 / 40320 - t * (1.0 / 3628800)));
        double ch0 = 1 - h2;
        double cl0 = ((1 - ch0) - h2) - h2l + q24l + cTail;
        double ch1 = ch0 + q24;
        double cl1 = (q24 - (ch1 - ch0)) + cl0;
        double cbh = ch1 + cl1;
        double cbl = cl1 - (cbh - ch1);
        double sa = j < 0 ? -SIN_HI[aj] : SIN_HI[aj];
        double sal = j < 0 ? -SIN_LO[aj] : SIN_LO[aj];
        double ca = COS_HI[aj];
        double cal = COS_LO[aj];
        double hi;
        double lo;
        if (sine) {
            // sin(a) cos(b) + cos(a) sin(b)
            double m1 = sa * cbh;
            double m1l = Math.fma(sa, cbh, -m1) + sa * cbl + sal * cbh;
            double m2 = ca * sbh;
            double m2l = Math.fma(ca, sbh, -m2) + ca * sbl + cal * sbh;
            hi = m1 + m2;
            double bb = hi - m1;
            lo = ((m1 - (hi - bb)) + (m2 - bb)) + m1l + m2l;
        } else {
            // cos(a) cos(b) - sin(a) sin(b)
            double m1 = ca * cbh;
            double m1l = Math.fma(ca, cbh, -m1) + ca * cbl + cal * cbh;
            double m2 = -sa * sbh;
            double m2l = Math.fma(-sa, sbh, -m2) - sa * sbl - sal * sbh;
            hi = m1 + m2;
            double bb = hi - m1;
            lo = ((m1 - (hi - bb)) + (m2 - bb)) + m1l + m2l;
        }
        double r = hi + lo;
        if (out != null) {
            out[1] = lo - (r - hi);
            out[0] = r;
        }
        return r;
    }

    /** asin, NaN outside [-1, 1]. */
    static double asin(double x) {
        if (!(Math.abs(x) <= 1)) {
            return Double.NaN;
        }
        if (x < 0) {
            return -asin(-x);
        }
        double[] dd = new double[2];
        if (x <= 0.5) {
            // one Newton step on sin(z) = x from Math.asin's value, the residual taken in double-double
            double z0 = Math.asin(x);
            sinCosDD(z0, true, dd);
            double corr = -((dd[0] - x) + dd[1]) / Math.cos(z0);
            return z0 + corr;
        }
        // asin(x) = pi/2 - 2 asin(y), y = sqrt((1 - x) / 2) <= 0.5, where asin is well conditioned
        double t = (1 - x) * 0.5;
        double yh = Math.sqrt(t);
        double yl = yh == 0 ? 0 : Math.fma(-yh, yh, t) / (2 * yh);
        double z0 = Math.asin(yh);
        sinCosDD(z0, true, dd);
        double corr = -(((dd[0] - yh) + dd[1]) - yl) / Math.cos(z0);
        double zh = z0 + corr;
        double zl = corr - (zh - z0);
        double s = PIO2_1 - 2 * zh;
        double bb = s - PIO2_1;
        double e = (PIO2_1 - (s - bb)) + (-2 * zh - bb);
        return s + (e + PIO2_2 - 2 * zl);
    }
}
