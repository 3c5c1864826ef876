package dev.proxima.ppo.config;

import java.util.List;

/** The hidden layers of the actor and of the critic (each gets its own copy), SB3's net_arch. */
public record NetworkConfig(List<Integer> hiddenSizes, Activation activation) {

    static final long MAX_HIDDEN_WEIGHTS = 4_000_000;

    /** Null components take SB3's defaults: two hidden layers of 64, tanh. */
    public NetworkConfig {
        hiddenSizes = hiddenSizes == null ? List.of(64, 64) : List.copyOf(hiddenSizes);
        activation = activation == null ? Activation.TANH : activation;
        Check.intInRange("hiddenSizes.length", hiddenSizes.size(), 1, 8);
        for (int i = 0; i < hiddenSizes.size(); i++) {
            Check.intInRange("hiddenSizes[" + i + "]", hiddenSizes.get(i), 1, 4096);
        }
        long weights = 0;
        for (int i = 1; i < hiddenSizes.size(); i++) {
            weights += (long) hiddenSizes.get(i - 1) * hiddenSizes.get(i);
        }
        if (weights > MAX_HIDDEN_WEIGHTS) {
            throw new InvalidConfigException("hiddenSizes", "the hidden layers may hold at most " + MAX_HIDDEN_WEIGHTS
                    + " weights per network (they carry gradients and Adam state in memory and in every "
                    + "checkpoint), had " + weights);
        }
    }

    /**
     * As the REST API sends it, JSON names and nulls (left out) included; checked in the order
     * the API reports the first problem in.
     */
    public static NetworkConfig of(List<Integer> hiddenSizes, String activation) {
        if (hiddenSizes != null) {
            for (int i = 0; i < hiddenSizes.size(); i++) {
                if (hiddenSizes.get(i) == null) {
                    throw new InvalidConfigException("hiddenSizes[" + i + "]", "must be an integer in [1, 4096], was null");
                }
            }
        }
        List<Integer> sizes = hiddenSizes == null ? List.of(64, 64) : List.copyOf(hiddenSizes);
        Check.intInRange("hiddenSizes.length", sizes.size(), 1, 8);
        for (int i = 0; i < sizes.size(); i++) {
            Check.intInRange("hiddenSizes[" + i + "]", sizes.get(i), 1, 4096);
        }
        return new NetworkConfig(sizes, JsonNamed.parseOrNull(Activation.class, "activation", activation));
    }

    public static NetworkConfig defaults() {
        return new NetworkConfig(null, null);
    }
}
