package dev.proxima.ppo.config;

/** The hidden layers' activation function. */
public enum Activation implements JsonNamed {
    TANH("tanh"),
    RELU("relu");

    private final String jsonName;

    Activation(String jsonName) {
        this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }
}
