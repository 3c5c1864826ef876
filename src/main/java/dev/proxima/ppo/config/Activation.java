package dev.proxima.ppo.config;

/** The hidden layers' activation function. */
public enum Activation implements JsonNamed {
    TANH,
    RELU
}
