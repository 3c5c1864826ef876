package dev.proxima.job;

import dev.proxima.ppo.config.NetworkConfig;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The REST API's {@code hyperparameters.network} object, checked when read from JSON (so a
 * problem is reported under {@code hyperparameters.network}) and holding the effective values.
 */
@Schema(name = "NetworkConfig")
public record NetworkHyperparameters(List<Integer> hiddenSizes, String activation) {

    public NetworkHyperparameters {
        NetworkConfig config = NetworkConfig.of(hiddenSizes, activation);
        hiddenSizes = config.hiddenSizes();
        activation = config.activation().jsonName();
    }

    static NetworkHyperparameters of(NetworkConfig config) {
        return new NetworkHyperparameters(config.hiddenSizes(), config.activation().jsonName());
    }

    NetworkConfig toConfig() {
        return NetworkConfig.of(hiddenSizes, activation);
    }
}
