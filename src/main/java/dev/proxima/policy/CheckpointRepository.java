package dev.proxima.policy;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface CheckpointRepository extends JpaRepository<PolicyCheckpoint, Long> {

    @Query(value = "select coalesce(sum(c.size_bytes), 0) from policy_checkpoint c join training_job j on j.id = c.job_id "
            + "where j.owner = :owner and c.job_id <> :exceptJobId",
            nativeQuery = true)
    long storedBytes(String owner, UUID exceptJobId);

    @Query("select new dev.proxima.policy.CheckpointInfo(c.id, c.iteration, c.timesteps, c.episodeReturnMean) "
            + "from PolicyCheckpoint c where c.jobId = :jobId order by c.iteration desc")
    List<CheckpointInfo> findNewest(UUID jobId, Limit limit);

    @Query("select new dev.proxima.policy.CheckpointInfo(c.id, c.iteration, c.timesteps, c.episodeReturnMean) "
            + "from PolicyCheckpoint c where c.jobId = :jobId and c.best = true")
    Optional<CheckpointInfo> findBest(UUID jobId);

    @Query("select new dev.proxima.policy.CheckpointInfo(c.id, c.iteration, c.timesteps, c.episodeReturnMean) "
            + "from PolicyCheckpoint c where c.jobId = :jobId and c.iteration = :iteration")
    Optional<CheckpointInfo> findAtIteration(UUID jobId, int iteration);

    @Query("select new dev.proxima.policy.CheckpointSummary(c.iteration, c.timesteps, c.episodeReturnMean, "
            + "c.sizeBytes, c.createdAt, c.best) from PolicyCheckpoint c where c.jobId = :jobId order by c.iteration")
    List<CheckpointSummary> summaries(UUID jobId);

    @Query("select c.policyArchive from PolicyCheckpoint c where c.id = :id")
    byte[] findArchive(long id);

    @Modifying
    @Query("update PolicyCheckpoint c set c.best = case when c.id = :id then true else false end where c.jobId = :jobId")
    void markBest(UUID jobId, long id);

    /** Retention: everything older than {@code iteration} but the best. */
    @Modifying
    @Query("delete from PolicyCheckpoint c where c.jobId = :jobId and c.iteration < :iteration and c.best = false")
    void deleteOlderThanExceptBest(UUID jobId, int iteration);

    @Modifying
    @Query("delete from PolicyCheckpoint c where c.jobId = :jobId")
    void deleteByJobId(UUID jobId);
}
