package dev.proxima.job;

import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

public interface MetricPointRepository extends JpaRepository<MetricPoint, MetricPoint.Key> {

    /** Served by the (job_id, iteration) primary key index: fast at any depth. */
    List<MetricPoint> findByJobIdAndIterationGreaterThanOrderByIterationAsc(UUID jobId, int afterIteration,
            Limit limit);

    @Modifying
    @Query("delete from MetricPoint m where m.jobId = :jobId and m.iteration > :iteration")
    void deleteAfter(UUID jobId, int iteration);

    @Modifying
    @Query("delete from MetricPoint m where m.jobId = :jobId")
    void deleteByJobId(UUID jobId);
}
