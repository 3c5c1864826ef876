package dev.proxima.vecenv;

/** A finished episode: its undiscounted return and its length in steps. */
public record Episode(double totalReward, int length) {
}
