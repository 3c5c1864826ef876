package dev.proxima.ppo.config;

/** PPO's objective. */
public enum Objective implements JsonNamed {
    /** The clipped surrogate objective (PPO-Clip). */
    CLIP,
    /** The paper's adaptive KL penalty objective (PPO-KL). */
    KL_PENALTY
}
