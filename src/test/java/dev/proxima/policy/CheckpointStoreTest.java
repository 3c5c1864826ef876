package dev.proxima.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.json.AutoConfigureJson;
import org.springframework.boot.test.autoconfigure.orm.jpa.DataJpaTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Checkpoint retention and selection on the migrated schema (H2): the newest
 * proxima.jobs.checkpoints-kept (3) plus the best, the best being the highest ep_rew_mean and the
 * earliest on a tie; latest, best and iteration selectors, and their 409s and 404s.
 */
@DataJpaTest
@AutoConfigureJson
@Import({CheckpointStore.class, CheckpointStoreTest.SystemClock.class})
class CheckpointStoreTest {

    @TestConfiguration
    static class SystemClock {
        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }
    }

    @Autowired
    CheckpointStore checkpoints;

    @Autowired
    JdbcTemplate jdbc;

    private UUID job() {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into training_job (id, name, status, environment_id, total_timesteps, timesteps, iteration, "
                + "cancel_requested, request_json, created_at) values (?, 'job', 'RUNNING', 'CartPole-v1', 1000, 0, 0, "
                + "false, '{}', current_timestamp)", id);
        return id;
    }

    private void write(UUID job, int iteration, Double episodeReturnMean) {
        checkpoints.write(job, iteration, 64L * iteration, episodeReturnMean, new byte[] {(byte) iteration, 1, 2});
    }

    @Test
    void keepsTheNewestThreeAndTheBest() {
        UUID job = job();
        Double[] returns = {null, 10.0, 30.0, 20.0, 50.0, 40.0, 45.0, 30.0, 20.0, 10.0, 5.0, 1.0};
        for (int i = 0; i < returns.length; i++) {
            write(job, i + 1, returns[i]);
        }
        assertThat(checkpoints.list(job)).extracting(CheckpointSummary::iteration).containsExactly(5, 10, 11, 12);
        assertThat(checkpoints.list(job)).filteredOn(CheckpointSummary::best).extracting(CheckpointSummary::iteration)
                .containsExactly(5);

        assertThat(checkpoints.find(job, CheckpointSelector.LATEST).iteration()).isEqualTo(12);
        CheckpointInfo best = checkpoints.find(job, CheckpointSelector.BEST);
        assertThat(best.iteration()).isEqualTo(5);
        assertThat(best.episodeReturnMean()).isEqualTo(50.0);
        assertThat(checkpoints.find(job, CheckpointSelector.parse("11")).timesteps()).isEqualTo(11 * 64);
        assertThatThrownBy(() -> checkpoints.find(job, CheckpointSelector.parse("6")))
                .isInstanceOf(CheckpointNotFoundException.class).hasMessageContaining("iteration 6");
        assertThat(checkpoints.archive(best)).containsExactly(5, 1, 2);
        assertThat(checkpoints.newest(job).orElseThrow().archive()).containsExactly(12, 1, 2);
    }

    @Test
    void aTieKeepsTheEarlierBest() {
        UUID job = job();
        write(job, 1, 10.0);
        write(job, 2, 10.0);
        assertThat(checkpoints.find(job, CheckpointSelector.BEST).iteration()).isEqualTo(1);
    }

    @Test
    void bestNeedsAnEpisodeReturnAndLatestACheckpoint() {
        UUID job = job();
        assertThatThrownBy(() -> checkpoints.find(job, CheckpointSelector.LATEST))
                .isInstanceOf(NoCheckpointException.class).hasMessageContaining("no policy checkpoint yet");
        assertThatThrownBy(() -> checkpoints.find(job, CheckpointSelector.BEST))
                .isInstanceOf(NoCheckpointException.class).hasMessageContaining("no policy checkpoint yet");
        write(job, 1, null);
        assertThatThrownBy(() -> checkpoints.find(job, CheckpointSelector.BEST))
                .isInstanceOf(NoCheckpointException.class).hasMessageContaining("no best checkpoint");
        assertThat(checkpoints.find(job, CheckpointSelector.LATEST).iteration()).isEqualTo(1);

        checkpoints.deleteAll(job);
        assertThat(checkpoints.list(job)).isEmpty();
        assertThat(checkpoints.newest(job)).isEmpty();
    }
}
