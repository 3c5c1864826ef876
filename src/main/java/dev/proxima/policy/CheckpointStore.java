package dev.proxima.policy;

import dev.proxima.job.CheckpointWriter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Writes checkpoints, keeping a job's newest {@code proxima.jobs.checkpoints-kept}. */
@Component
class CheckpointStore implements CheckpointWriter {

    private final CheckpointRepository checkpoints;
    private final Clock clock;
    private final int kept;

    CheckpointStore(CheckpointRepository checkpoints, Clock clock,
            @Value("${proxima.jobs.checkpoints-kept:3}") int kept) {
        this.checkpoints = checkpoints;
        this.clock = clock;
        this.kept = Math.max(1, kept);
    }

    @Override
    @Transactional
    public void write(UUID jobId, int iteration, long timesteps, Double episodeReturnMean, byte[] policyArchive) {
        checkpoints.save(new PolicyCheckpoint(jobId, iteration, timesteps, episodeReturnMean, policyArchive,
                clock.instant()));
        List<CheckpointInfo> newest = checkpoints.findNewest(jobId, Limit.of(kept));
        if (newest.size() == kept) {
            checkpoints.deleteOlderThan(jobId, newest.get(kept - 1).iteration());
        }
    }

    @Override
    @Transactional
    public void deleteAll(UUID jobId) {
        checkpoints.deleteByJobId(jobId);
    }

    @Transactional(readOnly = true)
    public Optional<CheckpointInfo> latest(UUID jobId) {
        return checkpoints.findNewest(jobId, Limit.of(1)).stream().findFirst();
    }

    @Transactional(readOnly = true)
    public byte[] archive(CheckpointInfo checkpoint) {
        return checkpoints.findArchive(checkpoint.id());
    }
}
