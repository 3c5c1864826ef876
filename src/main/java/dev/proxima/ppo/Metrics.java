package dev.proxima.ppo;

/** The names of the metrics an iteration reports: SB3's logger keys, so runs compare with SB3's. */
public final class Metrics {

    public static final String EP_REW_MEAN = "rollout/ep_rew_mean";
    public static final String EP_LEN_MEAN = "rollout/ep_len_mean";

    public static final String POLICY_GRADIENT_LOSS = "train/policy_gradient_loss";
    public static final String VALUE_LOSS = "train/value_loss";
    public static final String ENTROPY_LOSS = "train/entropy_loss";
    public static final String APPROX_KL = "train/approx_kl";
    public static final String CLIP_FRACTION = "train/clip_fraction";
    public static final String CLIP_RANGE = "train/clip_range";
    public static final String ENT_COEF = "train/ent_coef";
    /** The KL penalty's coefficient (objective klPenalty; not an SB3 key). */
    public static final String KL_BETA = "train/kl_beta";
    public static final String LOSS = "train/loss";
    public static final String EXPLAINED_VARIANCE = "train/explained_variance";
    public static final String STD = "train/std";
    public static final String LEARNING_RATE = "train/learning_rate";
    /** Separate actor and critic rates (not SB3 keys); reported only when they differ. */
    public static final String ACTOR_LEARNING_RATE = "train/actor_learning_rate";
    public static final String CRITIC_LEARNING_RATE = "train/critic_learning_rate";
    /** A shared network's layered optimizer (not SB3 keys); reported only when the groups differ. */
    public static final String TRUNK_LEARNING_RATE = "train/trunk_learning_rate";
    public static final String POLICY_HEAD_LEARNING_RATE = "train/policy_head_learning_rate";
    public static final String VALUE_HEAD_LEARNING_RATE = "train/value_head_learning_rate";
    /** normalizeValue: the value targets' running mean and std (not SB3 keys). */
    public static final String VALUE_NORM_MEAN = "train/value_norm_mean";
    public static final String VALUE_NORM_STD = "train/value_norm_std";
    public static final String N_UPDATES = "train/n_updates";

    public static final String FPS = "time/fps";
    public static final String ITERATIONS = "time/iterations";
    public static final String TIME_ELAPSED = "time/time_elapsed";
    public static final String TOTAL_TIMESTEPS = "time/total_timesteps";

    /** Per-head diagnostics of MultiDiscrete and hybrid policies: {@code train/entropy/<head>}. */
    public static String entropyOf(String head) {
        return ENTROPY + "/" + head;
    }

    /** {@code train/approx_kl/<head>}. */
    public static String approxKlOf(String head) {
        return APPROX_KL + "/" + head;
    }

    /** The Gaussian std of one action dimension or parameter: {@code train/std/<index>}. */
    public static String stdOf(int dimension) {
        return STD + "/" + dimension;
    }

    private static final String ENTROPY = "train/entropy";

    private Metrics() {
    }
}
