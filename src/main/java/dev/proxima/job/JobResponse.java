package dev.proxima.job;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

public record JobResponse(
        UUID id,
        String name,
        JobStatus status,
        JobRequest.EnvironmentRequest environment,
        long totalTimesteps,
        long timesteps,
        int iteration,
        Double episodeReturnMean,
        boolean cancelRequested,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        @Schema(description = "Why a finished job stopped")
        StopReason stopReason,
        String error,
        JobRequest request) {

    static JobResponse of(TrainingJob job) {
        JobRequest request = job.getRequest();
        return new JobResponse(job.getId(), job.getName(), job.getStatus(), request.environment(),
                job.getTotalTimesteps(), job.getTimesteps(), job.getIteration(), job.getEpisodeReturnMean(),
                job.isCancelRequested(), job.getCreatedAt(), job.getStartedAt(), job.getFinishedAt(), job.getStopReason(),
                job.getError(),
                request);
    }
}
