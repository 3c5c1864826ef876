package dev.proxima.job;

import dev.proxima.InvalidFieldException;
import dev.proxima.ProblemException;
import dev.proxima.ppo.config.IterationFootprint;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * The checkpoint storage a job and an owner may use. A job keeps at most checkpoints-kept + 1
 * checkpoints (the newest and the best), all of one size, so a job's share is that many times
 * one checkpoint: estimated when the job is submitted, measured at its first checkpoint.
 */
@Component
class CheckpointQuota {

    /** A job whose checkpoints would exceed a quota; the job fails with this message. */
    static class ExceededException extends RuntimeException {
        ExceededException(String message) {
            super(message);
        }
    }

    private static final UUID NO_JOB = new UUID(0, 0);

    private final CheckpointWriter checkpoints;
    private final JobRepository jobs;
    private final long perJob;
    private final long perOwner;
    private final int keptPerJob;

    CheckpointQuota(CheckpointWriter checkpoints, JobRepository jobs,
            @Value("${proxima.quotas.checkpoint-bytes-per-job:1GB}") DataSize perJob,
            @Value("${proxima.quotas.checkpoint-bytes-per-owner:8GB}") DataSize perOwner,
            @Value("${proxima.jobs.checkpoints-kept:3}") int kept) {
        this.checkpoints = checkpoints;
        this.jobs = jobs;
        this.perJob = perJob.toBytes();
        this.perOwner = perOwner.toBytes();
        this.keptPerJob = kept + 1;
    }

    /** At submission: a network whose checkpoints could not fit in the job's quota is a 422. */
    void checkRequest(long checkpointBytes) {
        if ((long) keptPerJob * checkpointBytes > perJob) {
            throw new InvalidFieldException("hyperparameters.network.hiddenSizes", "the job's " + keptPerJob
                    + " checkpoints would take about " + IterationFootprint.mebibytes(keptPerJob * checkpointBytes)
                    + ", more than the " + IterationFootprint.mebibytes(perJob) + " a job may store "
                    + "(proxima.quotas.checkpoint-bytes-per-job)");
        }
    }

    /** At submission: an owner whose stored checkpoints leave no room for this job's is a 409. */
    void checkOwner(String owner, long checkpointBytes) {
        long stored = checkpoints.storedBytes(owner, NO_JOB);
        if (stored + keptPerJob * checkpointBytes > perOwner) {
            throw new OwnerQuotaException(owner, stored, keptPerJob * checkpointBytes, perOwner);
        }
    }

    /** At a job's first checkpoint: its real size against both quotas. */
    void checkWritten(UUID jobId, long archiveBytes) {
        long share = keptPerJob * archiveBytes;
        if (share > perJob) {
            throw new ExceededException("checkpoint quota: the job's " + keptPerJob + " checkpoints of "
                    + IterationFootprint.mebibytes(archiveBytes) + " each would exceed the "
                    + IterationFootprint.mebibytes(perJob) + " a job may store (proxima.quotas.checkpoint-bytes-per-job)");
        }
        String owner = jobs.findOwner(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
        long others = checkpoints.storedBytes(owner, jobId);
        if (others + share > perOwner) {
            throw new ExceededException("checkpoint quota: owner " + owner + " stores "
                    + IterationFootprint.mebibytes(others) + " of checkpoints in other jobs; this job's "
                    + IterationFootprint.mebibytes(share) + " would exceed the " + IterationFootprint.mebibytes(perOwner)
                    + " an owner may store (proxima.quotas.checkpoint-bytes-per-owner); delete finished jobs");
        }
    }

    static class OwnerQuotaException extends ProblemException {
        OwnerQuotaException(String owner, long stored, long needed, long quota) {
            super(HttpStatus.CONFLICT, "Checkpoint quota reached", "owner " + owner + " stores "
                    + IterationFootprint.mebibytes(stored) + " of checkpoints; this job's would need about "
                    + IterationFootprint.mebibytes(needed) + " more, beyond the " + IterationFootprint.mebibytes(quota)
                    + " an owner may store (proxima.quotas.checkpoint-bytes-per-owner): delete finished jobs "
                    + "(DELETE /api/jobs/{id})");
        }
    }
}
