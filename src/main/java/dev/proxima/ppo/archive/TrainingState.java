package dev.proxima.ppo.archive;

import dev.proxima.vecenv.Episode;
import dev.proxima.vecenv.RunningMeanStd;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What a training checkpoint holds beyond the policy (networks, Adam state, observation
 * statistics) so that {@code PpoTrainer.resume} continues the run: the position in training
 * (which also fixes the schedules and the per-iteration random streams), SB3's counters, the
 * KL penalty's beta, the reward normaliser's statistics and the episodes behind ep_rew_mean.
 */
public record TrainingState(long timesteps, int iteration, double elapsedSeconds, long updates, double klBeta,
        RunningMeanStd returnStats, List<Episode> recentEpisodes) {

    byte[] toBytes() {
        Properties properties = new Properties();
        properties.setProperty("timesteps", Long.toString(timesteps));
        properties.setProperty("iteration", Integer.toString(iteration));
        properties.setProperty("elapsedSeconds", Double.toString(elapsedSeconds));
        properties.setProperty("updates", Long.toString(updates));
        properties.setProperty("klBeta", Double.toString(klBeta));
        if (returnStats != null) {
            properties.setProperty("returnStats.mean", ObservationNormalizers.join(returnStats.mean()));
            properties.setProperty("returnStats.var", ObservationNormalizers.join(returnStats.var()));
            properties.setProperty("returnStats.count", Double.toString(returnStats.count()));
        }
        StringBuilder returns = new StringBuilder();
        StringBuilder lengths = new StringBuilder();
        for (Episode episode : recentEpisodes) {
            returns.append(returns.isEmpty() ? "" : ",").append(episode.totalReward());
            lengths.append(lengths.isEmpty() ? "" : ",").append(episode.length());
        }
        properties.setProperty("episodes.returns", returns.toString());
        properties.setProperty("episodes.lengths", lengths.toString());
        StringWriter text = new StringWriter();
        try {
            properties.store(text, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The state in a checkpoint archive's entry; null when the archive holds only a policy (no entry). */
    static TrainingState fromEntry(byte[] entry) {
        if (entry == null) {
            return null;
        }
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(new String(entry, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RunningMeanStd returnStats = properties.getProperty("returnStats.mean") == null ? null : new RunningMeanStd(
                ObservationNormalizers.split(properties.getProperty("returnStats.mean")),
                ObservationNormalizers.split(properties.getProperty("returnStats.var")),
                Double.parseDouble(properties.getProperty("returnStats.count")));
        List<Episode> episodes = new ArrayList<>();
        String returns = properties.getProperty("episodes.returns");
        if (!returns.isEmpty()) {
            double[] totals = ObservationNormalizers.split(returns);
            double[] lengths = ObservationNormalizers.split(properties.getProperty("episodes.lengths"));
            for (int i = 0; i < totals.length; i++) {
                episodes.add(new Episode(totals[i], (int) lengths[i]));
            }
        }
        return new TrainingState(Long.parseLong(properties.getProperty("timesteps")),
                Integer.parseInt(properties.getProperty("iteration")),
                Double.parseDouble(properties.getProperty("elapsedSeconds")),
                Long.parseLong(properties.getProperty("updates")), Double.parseDouble(properties.getProperty("klBeta")),
                returnStats, episodes);
    }
}
