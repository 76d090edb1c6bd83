package io.cascade.server.commands;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Redis's sparkline.c as LATENCY GRAPH uses it: filled ASCII bars, four rows high, labels below. Pure. */
final class Sparkline {
    private static final String FILL = "_o#";
    private static final int LABEL_MARGIN_TOP = 1;

    private record Sample(double value, String label) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private double min;
    private double max;
    private int labels;

    void add(double value, String label) {
        if (samples.isEmpty()) {
            min = max = value;
        } else if (value < min) {
            min = value;
        } else if (value > max) {
            max = value;
        }
        String l = label == null || label.isEmpty() ? null : label;
        samples.add(new Sample(value, l));
        if (l != null) {
            labels++;
        }
    }

    /** sparklineRender with SPARKLINE_FILL: the samples in chunks of {@code columns}. */
    void render(StringBuilder out, int columns, int rows) {
        for (int j = 0; j < samples.size(); j += columns) {
            if (j != 0) {
                out.append('\n');
            }
            renderRange(out, rows, j, Math.min(columns, samples.size() - j));
        }
    }

    private void renderRange(StringBuilder out, int rows, int offset, int len) {
        double relmax = max - min;
        if (relmax == 0) {
            relmax = 1;
        }
        int steps = FILL.length() * rows;
        char[] chars = new char[len];
        int row = 0;
        boolean loop = true;
        while (loop) {
            loop = false;
            Arrays.fill(chars, ' ');
            for (int j = 0; j < len; j++) {
                Sample s = samples.get(j + offset);
                int step = (int) ((s.value - min) * steps / relmax);
                step = Math.max(0, Math.min(steps - 1, step));
                if (row < rows) {
                    int charidx = step - (rows - row - 1) * FILL.length();
                    loop = true;
                    if (charidx >= 0 && charidx < FILL.length()) {
                        chars[j] = FILL.charAt(charidx);
                    } else if (charidx >= FILL.length()) {
                        chars[j] = '|';
                    }
                } else {
                    if (labels > 0 && row - rows < LABEL_MARGIN_TOP) {
                        loop = true;
                        break;
                    }
                    if (s.label != null) {
                        int labelChar = row - rows - LABEL_MARGIN_TOP;
                        if (s.label.length() > labelChar) {
                            loop = true;
                            chars[j] = s.label.charAt(labelChar);
                        }
                    }
                }
            }
            if (loop) {
                row++;
                out.append(chars).append('\n');
            }
        }
    }
}
