package dev.proxima.ppo.config;

import java.util.List;

/** The hidden layers of the actor and of the critic (each gets its own copy), SB3's net_arch. */
public record NetworkConfig(List<Integer> hiddenSizes, String activation) {

    public static final String TANH = "tanh";
    public static final String RELU = "relu";
    static final long MAX_HIDDEN_WEIGHTS = 4_000_000;

    public NetworkConfig {
        hiddenSizes = hiddenSizes == null ? List.of(64, 64) : List.copyOf(hiddenSizes);
        activation = activation == null ? TANH : activation;
        Check.intInRange("hiddenSizes.length", hiddenSizes.size(), 1, 8);
        for (int i = 0; i < hiddenSizes.size(); i++) {
            Integer size = hiddenSizes.get(i);
            if (size == null) {
                throw new InvalidConfigException("hiddenSizes[" + i + "]", "must be a number");
            }
            Check.intInRange("hiddenSizes[" + i + "]", size, 1, 4096);
        }
        Check.oneOf("activation", activation, TANH, RELU);
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

    public static NetworkConfig defaults() {
        return new NetworkConfig(null, null);
    }
}
