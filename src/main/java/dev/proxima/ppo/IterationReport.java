package dev.proxima.ppo;

import java.util.Map;

/**
 * One finished PPO iteration: SB3's logged metrics under SB3's names, the seconds of training
 * so far (across resumptions from checkpoints), and the policy as it is now, with the trainer's
 * state (for checkpoints; it shares the trainer's networks, so archive it before training goes on).
 */
public record IterationReport(int iteration, long timesteps, double elapsedSeconds, Map<String, Double> metrics,
        Policy policy) {

    /** {@link Metrics#EP_REW_MEAN}, under the name the job code reads it by. */
    public static final String EP_REW_MEAN = Metrics.EP_REW_MEAN;
    public static final String EP_LEN_MEAN = Metrics.EP_LEN_MEAN;

    public Double episodeReturnMean() {
        return metrics.get(EP_REW_MEAN);
    }
}
