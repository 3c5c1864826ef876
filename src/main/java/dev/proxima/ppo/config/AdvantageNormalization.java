package dev.proxima.ppo.config;

/** Where the advantages' mean and std come from before the policy loss uses them. */
public enum AdvantageNormalization implements JsonNamed {
    /** Each minibatch's own (SB3's normalize_advantage). */
    MINIBATCH,
    /** The whole rollout's, once per update (the PPO paper's implementation, OpenAI Baselines). */
    ROLLOUT,
    /** Raw advantages. */
    OFF
}
