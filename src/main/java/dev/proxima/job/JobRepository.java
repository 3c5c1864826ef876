package dev.proxima.job;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface JobRepository extends JpaRepository<TrainingJob, UUID> {

    Page<TrainingJob> findByStatus(JobStatus status, Pageable pageable);

    @Query("select j.status from TrainingJob j where j.id = :id")
    Optional<JobStatus> findStatus(UUID id);

    @Query("select j.cancelRequested from TrainingJob j where j.id = :id")
    boolean isCancelRequested(UUID id);
}
