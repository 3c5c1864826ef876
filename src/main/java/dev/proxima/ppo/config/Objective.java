package dev.proxima.ppo.config;

/** PPO's objective. */
public enum Objective implements JsonNamed {
    /** The clipped surrogate objective (PPO-Clip). */
    CLIP("clip"),
    /** The paper's adaptive KL penalty objective (PPO-KL). */
    KL_PENALTY("klPenalty");

    private final String jsonName;

    Objective(String jsonName) {
        this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }
}
