package dev.proxima.policy;

import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface CheckpointRepository extends JpaRepository<PolicyCheckpoint, Long> {

    @Query("select new dev.proxima.policy.CheckpointInfo(c.id, c.iteration, c.timesteps) from PolicyCheckpoint c "
            + "where c.jobId = :jobId order by c.iteration desc")
    List<CheckpointInfo> findNewest(UUID jobId, Limit limit);

    @Query("select c.policyArchive from PolicyCheckpoint c where c.id = :id")
    byte[] findArchive(long id);

    @Modifying
    @Query("delete from PolicyCheckpoint c where c.jobId = :jobId and c.iteration < :iteration")
    void deleteOlderThan(UUID jobId, int iteration);

    @Modifying
    @Query("delete from PolicyCheckpoint c where c.jobId = :jobId")
    void deleteByJobId(UUID jobId);
}
