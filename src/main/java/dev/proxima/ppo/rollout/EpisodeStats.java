package dev.proxima.ppo.rollout;

import dev.proxima.vecenv.Episode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The last 100 finished episodes, as SB3's ep_info_buffer behind rollout/ep_rew_mean. */
public final class EpisodeStats {

    static final int WINDOW = 100;

    private final Deque<Episode> recent = new ArrayDeque<>(WINDOW);

    public void add(Episode episode) {
        if (recent.size() == WINDOW) {
            recent.removeFirst();
        }
        recent.addLast(episode);
    }

    /** The episodes in the window, oldest first. */
    public List<Episode> recent() {
        return List.copyOf(recent);
    }

    public boolean isEmpty() {
        return recent.isEmpty();
    }

    public double meanReturn() {
        return recent.stream().mapToDouble(Episode::totalReward).average().orElse(Double.NaN);
    }

    public double meanLength() {
        return recent.stream().mapToDouble(Episode::length).average().orElse(Double.NaN);
    }
}
