package dev.proxima.job;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "jobs", description = "Submit, follow and cancel PPO training jobs")
class JobController {

    private final JobService jobs;

    JobController(JobService jobs) {
        this.jobs = jobs;
    }

    @PostMapping
    @Operation(summary = "Submit a training job", description = "Validates the request, fills in defaults and queues the job.")
    @ApiResponse(responseCode = "201", description = "Queued; Location names the job")
    @ApiResponse(responseCode = "400", description = "Malformed JSON, a wrong type or an unknown field", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "A value out of range, an unknown environment; 'field' names it", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<JobResponse> submit(@RequestBody JobRequest request) {
        JobResponse job = jobs.submit(request);
        return ResponseEntity.created(URI.create("/api/jobs/" + job.id())).body(job);
    }

    @GetMapping
    @Operation(summary = "List jobs, newest first")
    @ApiResponse(responseCode = "200", description = "A page of jobs")
    @ApiResponse(responseCode = "422", description = "page or size out of range", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    JobPage list(@RequestParam(required = false) JobStatus status,
            @Parameter(description = "Zero-based page") @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        JobPage.check(page, size);
        Page<JobResponse> result = jobs.list(status, PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt")));
        return new JobPage(result.getContent(), result.getNumber(), result.getSize(), result.getTotalElements(),
                result.getTotalPages());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One job")
    @ApiResponse(responseCode = "200", description = "The job")
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    JobResponse get(@PathVariable UUID id) {
        return jobs.get(id);
    }

    @PostMapping("/{id}/cancel")
    @Operation(summary = "Cancel a job", description = "A queued job is cancelled at once; a running one stops within "
            + "one iteration and keeps its checkpoints. 409 if the job has already finished.")
    @ApiResponse(responseCode = "200", description = "The job, cancelled or flagged for cancellation")
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "The job has already finished", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    JobResponse cancel(@PathVariable UUID id) {
        return jobs.cancel(id);
    }

    @GetMapping("/{id}/metrics")
    @Operation(summary = "Metric history", description = "Per-iteration metrics under Stable-Baselines3's names, "
            + "ascending by iteration; page with afterIteration.")
    @ApiResponse(responseCode = "200", description = "Up to limit points after afterIteration")
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "limit out of range", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    MetricsResponse metrics(@PathVariable UUID id, @RequestParam(defaultValue = "0") int afterIteration,
            @RequestParam(defaultValue = "1000") int limit) {
        return jobs.metrics(id, afterIteration, limit);
    }

    record JobPage(List<JobResponse> content, int page, int size, long totalElements, int totalPages) {

        static void check(int page, int size) {
            if (page < 0) {
                throw new dev.proxima.InvalidFieldException("page", "must be >= 0, was " + page);
            }
            if (size < 1 || size > 200) {
                throw new dev.proxima.InvalidFieldException("size", "must be in [1, 200], was " + size);
            }
            if ((long) page * size > Integer.MAX_VALUE) {
                throw new dev.proxima.InvalidFieldException("page", "page * size must stay below 2^31, was page " + page);
            }
        }
    }
}
