package dev.proxima.ppo;

import java.util.Map;

/**
 * One finished PPO iteration: SB3's logged metrics under SB3's names, the seconds of training
 * so far (across resumptions from checkpoints), and the policy as it is now, with the trainer's
 * state (for checkpoints; it shares the trainer's networks, so archive it before training goes on).
 */
public record IterationReport(int iteration, long timesteps, double elapsedSeconds, Map<String, Double> metrics,
        Policy policy) {

    public static final String EP_REW_MEAN = "rollout/ep_rew_mean";
    public static final String EP_LEN_MEAN = "rollout/ep_len_mean";

    public Double episodeReturnMean() {
        return metrics.get(EP_REW_MEAN);
    }
}
