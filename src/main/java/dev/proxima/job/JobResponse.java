package dev.proxima.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record JobResponse(
        UUID id,
        String name,
        @Schema(description = "The owner of the API key that submitted the job")
        String owner,
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
        JobRequest request,
        @Schema(description = "External environments, in the answer that created the job only: the runners' "
                + "bearer token (the service keeps only its hash)")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        String runnerToken,
        @Schema(description = "External environments: the runners attached on the instance that runs the job")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        List<RunnerResponse> runners,
        @Schema(description = "External environments: the environment copies the attached runners step, of "
                + "environment.numEnvs")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        Integer attachedEnvs) {

    /** One attached runner. */
    public record RunnerResponse(UUID runnerId, int numEnvs, Instant lastSeenAt) {
    }

    static JobResponse of(TrainingJob job, String runnerToken, List<RunnerResponse> runners) {
        JobRequest request = job.getRequest();
        Integer attached = runners == null ? null : runners.stream().mapToInt(RunnerResponse::numEnvs).sum();
        return new JobResponse(job.getId(), job.getName(), job.getOwner(), job.getStatus(), request.environment(),
                job.getTotalTimesteps(), job.getTimesteps(), job.getIteration(), job.getEpisodeReturnMean(),
                job.isCancelRequested(), job.getCreatedAt(), job.getStartedAt(), job.getFinishedAt(), job.getStopReason(),
                job.getError(), request, runnerToken, runners, attached);
    }
}
