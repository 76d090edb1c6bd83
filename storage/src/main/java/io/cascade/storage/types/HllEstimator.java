package io.cascade.storage.types;

/**
 * The cardinality estimate Redis 7.0's hllCount makes from a register histogram: Otmar Ertl's improved
 * estimator ("New cardinality estimation algorithms for HyperLogLog sketches", arXiv:1702.01284), with the
 * same operations in the same order so the doubles, and so the rounded result, are identical. Pure functions.
 */
final class HllEstimator {
    /** 0.5 / ln(2). */
    private static final double ALPHA_INF = 0.721347520444481703680;

    private HllEstimator() {
    }

    /** histo[v] = number of registers holding v (64 slots; only 0..Q+1 can occur from real hashes). */
    static long estimate(int[] histo) {
        double m = HyperLogLog.REGISTERS;
        double z = m * tau((m - histo[HyperLogLog.Q + 1]) / m);
        for (int j = HyperLogLog.Q; j >= 1; --j) {
            z += histo[j];
            z *= 0.5;
        }
        z += m * sigma(histo[0] / m);
        // llroundl of a non-negative value: round half away from zero, which Math.round is for x >= 0
        return Math.round(ALPHA_INF * m * m / z);
    }

    static double sigma(double x) {
        if (x == 1.) {
            return Double.POSITIVE_INFINITY;
        }
        double zPrime;
        double y = 1;
        double z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    static double tau(double x) {
        if (x == 0. || x == 1.) {
            return 0.;
        }
        double zPrime;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y; // pow(1 - x, 2) is the exactly rounded square
        } while (zPrime != z);
        return z / 3;
    }
}
