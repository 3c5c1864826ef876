package dev.proxima.support;

import java.util.Arrays;
import java.util.stream.LongStream;

/**
 * The seeds a learning test trains with: the test's own seed by default, so that CI stays short,
 * or those of {@code -Dproxima.learning.seeds=0,1,2,3,4}, with which scripts/learning-sweep.sh
 * checks that every bar holds whatever the seed (and, run with and without OPENBLAS_CORETYPE,
 * whatever the BLAS kernel).
 */
public final class LearningSeeds {

    public static final String PROPERTY = "proxima.learning.seeds";

    private LearningSeeds() {
    }

    public static LongStream orDefault(long defaultSeed) {
        String seeds = System.getProperty(PROPERTY, "").trim();
        if (seeds.isEmpty()) {
            return LongStream.of(defaultSeed);
        }
        return Arrays.stream(seeds.split(",")).map(String::trim).mapToLong(Long::parseLong);
    }
}
