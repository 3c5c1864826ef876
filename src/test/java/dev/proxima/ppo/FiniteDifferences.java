package dev.proxima.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.function.Function;

/** Central finite differences over float parameters, for the gradient tests. */
public final class FiniteDifferences {

    public static final double H = 1e-3;

    private FiniteDifferences() {
    }

    /**
     * Central differences of {@code f} with respect to each float input. The perturbed inputs
     * are rounded to float, so the step actually taken, (float)(x + H) - (float)(x - H), is
     * used as the denominator rather than 2H.
     */
    public static double[] finiteDifferences(float[] point, Function<float[], Double> f) {
        double[] gradient = new double[point.length];
        for (int k = 0; k < point.length; k++) {
            float[] plus = point.clone();
            float[] minus = point.clone();
            plus[k] = (float) (point[k] + H);
            minus[k] = (float) (point[k] - H);
            double step = (double) plus[k] - (double) minus[k];
            gradient[k] = (f.apply(plus) - f.apply(minus)) / step;
        }
        return gradient;
    }

    public static void assertClose(double[] analytic, double[] numeric) {
        assertThat(analytic).hasSameSizeAs(numeric);
        for (int k = 0; k < analytic.length; k++) {
            double tolerance = 1e-6 + 1e-4 * Math.abs(numeric[k]);
            assertThat(analytic[k]).as("component %d (numeric %s)", k, numeric[k])
                    .isCloseTo(numeric[k], within(tolerance));
        }
    }

    public static double maxAbs(double[] values) {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
