package dev.proxima.ppo.archive;

import dev.proxima.vecenv.ObservationNormalizer;
import java.util.Arrays;
import java.util.Properties;
import java.util.stream.Collectors;

/** An observation normalizer as the properties of a policy archive. */
final class ObservationNormalizers {

    private ObservationNormalizers() {
    }

    static void write(ObservationNormalizer normalizer, Properties meta) {
        meta.setProperty("obsNorm.mean", join(normalizer.mean()));
        meta.setProperty("obsNorm.var", join(normalizer.var()));
        meta.setProperty("obsNorm.count", Double.toString(normalizer.count()));
        meta.setProperty("obsNorm.clip", Double.toString(normalizer.clip()));
        meta.setProperty("obsNorm.epsilon", Double.toString(normalizer.epsilon()));
    }

    static ObservationNormalizer read(Properties meta) {
        if (meta.getProperty("obsNorm.mean") == null) {
            return null;
        }
        return new ObservationNormalizer(split(meta.getProperty("obsNorm.mean")), split(meta.getProperty("obsNorm.var")),
                Double.parseDouble(meta.getProperty("obsNorm.count")), Double.parseDouble(meta.getProperty("obsNorm.clip")),
                Double.parseDouble(meta.getProperty("obsNorm.epsilon")));
    }

    // Double.toString round-trips exactly.
    static String join(double[] values) {
        return Arrays.stream(values).mapToObj(Double::toString).collect(Collectors.joining(","));
    }

    static double[] split(String values) {
        return Arrays.stream(values.split(",")).mapToDouble(Double::parseDouble).toArray();
    }
}
