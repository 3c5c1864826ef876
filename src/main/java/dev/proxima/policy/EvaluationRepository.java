package dev.proxima.policy;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface EvaluationRepository extends JpaRepository<Evaluation, UUID> {

    List<Evaluation> findByJobIdOrderByCreatedAtAsc(UUID jobId);
}
