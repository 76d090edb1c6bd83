package io.cascade.storage;

import io.cascade.storage.types.RHash;
import io.cascade.storage.types.RList;
import io.cascade.storage.types.RSet;
import io.cascade.storage.types.RValue;
import io.cascade.storage.types.RZSet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helpers: a value described as text (type, encoding, elements in order), so two values compare. */
final class Values {
    private Values() {
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof byte[] s) {
            return "string:" + Arrays.toString(s);
        }
        List<String> parts = new ArrayList<>();
        if (v instanceof RList l) {
            for (int i = 0; i < l.size(); i++) {
                parts.add(Arrays.toString(l.get(i)));
            }
        } else if (v instanceof RHash h) {
            h.forEach((f, x) -> parts.add(Arrays.toString(f) + "=" + Arrays.toString(x)));
        } else if (v instanceof RSet s) {
            s.forEach(m -> parts.add(Arrays.toString(m)));
        } else if (v instanceof RZSet z) {
            z.forEach((m, score) -> parts.add(Arrays.toString(m) + "@" + Long.toHexString(Double.doubleToRawLongBits(score))));
        }
        RType t = RType.of(v);
        return t.typeName + "/" + ((RValue) v).encoding() + "/" + parts.size() + parts;
    }
}
