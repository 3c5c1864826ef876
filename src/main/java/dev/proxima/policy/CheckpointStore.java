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

/**
 * Writes checkpoints and keeps, per job, the newest {@code proxima.jobs.checkpoints-kept} plus the
 * best: the one with the highest ep_rew_mean (the earliest on a tie, as SB3's EvalCallback keeps
 * its best model only on a strict improvement).
 */
@Component
class CheckpointStore implements CheckpointWriter {

    private final CheckpointRepository checkpoints;
    private final Clock clock;
    private final int kept;

    CheckpointStore(CheckpointRepository checkpoints, Clock clock,
            @Value("${proxima.jobs.checkpoints-kept:3}") int kept) {
        if (kept < 1) {
            throw new IllegalArgumentException("proxima.jobs.checkpoints-kept must be >= 1, was " + kept);
        }
        this.checkpoints = checkpoints;
        this.clock = clock;
        this.kept = kept;
    }

    @Override
    @Transactional
    public void write(UUID jobId, int iteration, long timesteps, Double episodeReturnMean, byte[] policyArchive) {
        PolicyCheckpoint written = checkpoints.save(new PolicyCheckpoint(jobId, iteration, timesteps,
                episodeReturnMean, policyArchive, clock.instant()));
        if (episodeReturnMean != null && beats(episodeReturnMean, checkpoints.findBest(jobId))) {
            checkpoints.markBest(jobId, written.getId());
        }
        List<CheckpointInfo> newest = checkpoints.findNewest(jobId, Limit.of(kept));
        if (newest.size() == kept) {
            checkpoints.deleteOlderThanExceptBest(jobId, newest.get(kept - 1).iteration());
        }
    }

    private static boolean beats(double episodeReturnMean, Optional<CheckpointInfo> best) {
        return best.isEmpty() || episodeReturnMean > best.get().episodeReturnMean();
    }

    @Override
    @Transactional(readOnly = true)
    public long storedBytes(String owner, UUID exceptJobId) {
        return checkpoints.storedBytes(owner, exceptJobId);
    }

    @Override
    @Transactional
    public void deleteAll(UUID jobId) {
        checkpoints.deleteByJobId(jobId);
    }

    /** The job's checkpoints, ascending by iteration. */
    @Transactional(readOnly = true)
    public List<CheckpointSummary> list(UUID jobId) {
        return checkpoints.summaries(jobId);
    }

    /**
     * The checkpoint the selector names: 409 ({@link NoCheckpointException}) while the job has
     * no such checkpoint yet, 404 ({@link CheckpointNotFoundException}) for an iteration not stored.
     */
    @Transactional(readOnly = true)
    public CheckpointInfo find(UUID jobId, CheckpointSelector selector) {
        return switch (selector.kind()) {
            case LATEST -> latest(jobId).orElseThrow(() -> NoCheckpointException.noneYet(jobId));
            case BEST -> checkpoints.findBest(jobId).orElseThrow(() -> latest(jobId).isPresent()
                    ? NoCheckpointException.noBestYet(jobId)
                    : NoCheckpointException.noneYet(jobId));
            case ITERATION -> checkpoints.findAtIteration(jobId, selector.iteration())
                    .orElseThrow(() -> new CheckpointNotFoundException(jobId, selector.iteration()));
        };
    }

    Optional<CheckpointInfo> latest(UUID jobId) {
        return checkpoints.findNewest(jobId, Limit.of(1)).stream().findFirst();
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<Stored> newest(UUID jobId) {
        return latest(jobId).map(info -> new Stored(info.iteration(), info.timesteps(), info.episodeReturnMean(),
                        checkpoints.findArchive(info.id())))
                .filter(stored -> stored.archive() != null);
    }

    /** The checkpoint's policy archive, or null when it has been deleted since it was found. */
    @Transactional(readOnly = true)
    public byte[] archive(CheckpointInfo checkpoint) {
        return checkpoints.findArchive(checkpoint.id());
    }
}
