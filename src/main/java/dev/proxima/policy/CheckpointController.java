package dev.proxima.policy;

import dev.proxima.access.Caller;
import dev.proxima.job.JobService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "jobs")
class CheckpointController {

    private final JobService jobs;
    private final CheckpointStore checkpoints;

    CheckpointController(JobService jobs, CheckpointStore checkpoints) {
        this.jobs = jobs;
        this.checkpoints = checkpoints;
    }

    @GetMapping("/{id}/checkpoints")
    @Operation(summary = "A job's stored checkpoints", description = "Ascending by iteration. A job keeps its newest "
            + "proxima.jobs.checkpoints-kept checkpoints and its best one (the highest episodeReturnMean).")
    @ApiResponse(responseCode = "200", description = "The checkpoints, possibly none yet")
    @ApiResponse(responseCode = "404", description = "No such job")
    CheckpointsResponse listCheckpoints(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        jobs.checkAccess(id, caller);
        return new CheckpointsResponse(id, checkpoints.list(id));
    }
}
