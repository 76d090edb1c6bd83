package io.cascade.server.commands;

import java.util.Comparator;

/**
 * Redis's pqsort (pqsort.c): Bentley and McIlroy's quicksort that only recurses into partitions overlapping
 * the ranks lrange..rrange, which GEOSEARCH ... COUNT uses. It is not stable, so the order of points at equal
 * distances depends on its exact steps: this follows them (median of three, ninther past 40 elements,
 * insertion sort under 7, the same swaps). Pure function, any thread.
 */
final class PartialSort {
    private PartialSort() {
    }

    /** Sorts a so that ranks lo..hi (inclusive, 0-based) hold what a full sort would put there. */
    static <T> void pqsort(T[] a, Comparator<? super T> cmp, int lo, int hi) {
        sort(a, 0, a.length, cmp, lo, hi);
    }

    private static <T> void sort(T[] a, int base, int n, Comparator<? super T> cmp, int lrange, int rrange) {
        while (true) {
            if (n < 7) {
                for (int pm = base + 1; pm < base + n; pm++) {
                    for (int pl = pm; pl > base && cmp.compare(a[pl - 1], a[pl]) > 0; pl--) {
                        swap(a, pl, pl - 1);
                    }
                }
                return;
            }
            int pm = base + n / 2;
            if (n > 7) {
                int pl = base;
                int pn = base + n - 1;
                if (n > 40) {
                    int d = n / 8;
                    pl = med3(a, pl, pl + d, pl + 2 * d, cmp);
                    pm = med3(a, pm - d, pm, pm + d, cmp);
                    pn = med3(a, pn - 2 * d, pn - d, pn, cmp);
                }
                pm = med3(a, pl, pm, pn, cmp);
            }
            swap(a, base, pm);
            int pa = base + 1;
            int pb = pa;
            int pc = base + n - 1;
            int pd = pc;
            while (true) {
                int r;
                while (pb <= pc && (r = cmp.compare(a[pb], a[base])) <= 0) {
                    if (r == 0) {
                        swap(a, pa, pb);
                        pa++;
                    }
                    pb++;
                }
                while (pb <= pc && (r = cmp.compare(a[pc], a[base])) >= 0) {
                    if (r == 0) {
                        swap(a, pc, pd);
                        pd--;
                    }
                    pc--;
                }
                if (pb > pc) {
                    break;
                }
                swap(a, pb, pc);
                pb++;
                pc--;
            }
            int pn = base + n;
            int r = Math.min(pa - base, pb - pa);
            vecswap(a, base, pb - r, r);
            r = Math.min(pd - pc, pn - pd - 1);
            vecswap(a, pb, pn - r, r);
            r = pb - pa;
            if (r > 1 && overlaps(base, r, lrange, rrange)) {
                sort(a, base, r, cmp, lrange, rrange);
            }
            r = pd - pc;
            if (r <= 1) {
                return;
            }
            // the C code iterates on the right partition instead of recursing
            base = pn - r;
            n = r;
            if (!overlaps(base, n, lrange, rrange)) {
                return;
            }
        }
    }

    /** The partition of count elements from start holds a rank of lrange..rrange (pqsort's pointer test). */
    private static boolean overlaps(int start, int count, int lrange, int rrange) {
        return !(rrange < start || lrange >= start + count);
    }

    private static <T> int med3(T[] a, int i, int j, int k, Comparator<? super T> cmp) {
        return cmp.compare(a[i], a[j]) < 0
                ? (cmp.compare(a[j], a[k]) < 0 ? j : (cmp.compare(a[i], a[k]) < 0 ? k : i))
                : (cmp.compare(a[j], a[k]) > 0 ? j : (cmp.compare(a[i], a[k]) < 0 ? i : k));
    }

    private static <T> void swap(T[] a, int i, int j) {
        T t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    private static <T> void vecswap(T[] a, int i, int j, int n) {
        for (int k = 0; k < n; k++) {
            swap(a, i + k, j + k);
        }
    }
}
