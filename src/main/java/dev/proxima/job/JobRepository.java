package dev.proxima.job;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

public interface JobRepository extends JpaRepository<TrainingJob, UUID> {

    Page<TrainingJob> findByStatus(JobStatus status, Pageable pageable);

    Page<TrainingJob> findByOwner(String owner, Pageable pageable);

    Page<TrainingJob> findByOwnerAndStatus(String owner, JobStatus status, Pageable pageable);

    long countByOwnerAndStatusIn(String owner, Collection<JobStatus> statuses);

    @Query("select j.owner from TrainingJob j where j.id = :id")
    Optional<String> findOwner(UUID id);

    long countByStatusIn(Collection<JobStatus> statuses);

    /** Pairs of status and the number of jobs in it. */
    @Query("select j.status, count(j) from TrainingJob j group by j.status")
    List<Object[]> countByStatus();

    /** Takes the submission lock until the transaction ends (V5__submission_lock.sql). */
    @Query(value = "select id from submission_lock where id = 1 for update", nativeQuery = true)
    Integer lockSubmissions();

    Optional<TrainingJob> findByOwnerAndIdempotencyKey(String owner, String idempotencyKey);

    @Query("select j.status from TrainingJob j where j.id = :id")
    Optional<JobStatus> findStatus(UUID id);

    @Query("select j.id from TrainingJob j where j.runnerTokenHash = :hash")
    Optional<UUID> findIdByRunnerTokenHash(String hash);

    @Query("select j.cancelRequested from TrainingJob j where j.id = :id")
    boolean isCancelRequested(UUID id);

    // Targeted updates: the runner and the API write different columns of the same row, so
    // neither may write back a stale copy of the other's (a cancel flag, a final status).

    @Modifying
    @Query("update TrainingJob j set j.status = dev.proxima.job.JobStatus.RUNNING, j.startedAt = :now, "
            + "j.finishedAt = null, j.error = null, j.stopReason = null, j.timesteps = 0, j.iteration = 0, j.episodeReturnMean = null "
            + "where j.id = :id and j.status in :active")
    int markRunning(UUID id, Instant now, Collection<JobStatus> active);

    /** Marks an active job RUNNING (again) and clears its progress; 0 when it has finished meanwhile. */
    default int markRunning(UUID id, Instant now) {
        return markRunning(id, now, JobStatus.ACTIVE);
    }

    @Modifying
    @Query("update TrainingJob j set j.iteration = :iteration, j.timesteps = :timesteps, "
            + "j.episodeReturnMean = coalesce(:episodeReturnMean, j.episodeReturnMean) where j.id = :id")
    int recordProgress(UUID id, int iteration, long timesteps, Double episodeReturnMean);

    @Modifying
    @Query("update TrainingJob j set j.status = :status, j.stopReason = :stopReason, j.error = :error, "
            + "j.finishedAt = :now "
            + "where j.id = :id and j.status in :active")
    int finish(UUID id, JobStatus status, StopReason stopReason, String error, Instant now,
            Collection<JobStatus> active);

    /** Finishes an active job; 0 when it has finished already (a final status is never overwritten). */
    default int finish(UUID id, JobStatus status, StopReason stopReason, String error, Instant now) {
        return finish(id, status, stopReason, error, now, JobStatus.ACTIVE);
    }

    @Modifying
    @Query("update TrainingJob j set j.status = dev.proxima.job.JobStatus.QUEUED "
            + "where j.id = :id and j.status = dev.proxima.job.JobStatus.RUNNING")
    int requeue(UUID id);

    @Modifying
    @Query("update TrainingJob j set j.cancelRequested = true where j.id = :id and j.status in :active")
    int requestCancel(UUID id, Collection<JobStatus> active);

    default int requestCancel(UUID id) {
        return requestCancel(id, JobStatus.ACTIVE);
    }
}
