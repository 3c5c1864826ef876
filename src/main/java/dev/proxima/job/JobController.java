package dev.proxima.job;

import dev.proxima.access.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.MediaType;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import dev.proxima.InvalidFieldException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@RequestMapping(path = "/api/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "jobs", description = "Submit, follow and cancel PPO training jobs")
class JobController {

    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final JobService jobs;
    private final JobSubmissions submissions;
    private final JobEvents events;

    JobController(JobService jobs, JobSubmissions submissions, JobEvents events) {
        this.jobs = jobs;
        this.submissions = submissions;
        this.events = events;
    }

    @PostMapping
    @Operation(summary = "Submit a training job", description = "Validates the request, fills in defaults and queues "
            + "the job. With an Idempotency-Key, a retry of the same request returns the job the first try created "
            + "(200, Idempotent-Replayed: true) and never creates a second one.")
    @ApiResponse(responseCode = "201", description = "Queued; Location names the job")
    @ApiResponse(responseCode = "200", description = "A retry with the Idempotency-Key of an earlier submission: that job, as it is now", headers = @Header(name = REPLAYED_HEADER, description = "true: the job comes from an earlier submission", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "Malformed JSON, a wrong type or an unknown field")
    @ApiResponse(responseCode = "422", description = "A value out of range, an unknown environment, or an Idempotency-Key first sent with a different request; 'field' names it")
    @ApiResponse(responseCode = "429", description = "proxima.jobs.max-queued jobs are queued or running, or "
            + "proxima.quotas.active-jobs-per-owner of the caller's; Retry-After says when to try again", headers = @Header(name = "Retry-After", description = "Seconds to wait", schema = @Schema(type = "integer")))
    ResponseEntity<JobResponse> submit(
            @Parameter(description = "Makes retries safe: a later submission with the same key and request returns "
                    + "this submission's job instead of creating another (at most 255 characters)",
                    example = "4f6c1c1e-2b9e-4a4c-9f57-0d6f6b0e8a11")
            @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey,
            @Valid @RequestBody JobRequest request, HttpServletRequest http, @AuthenticationPrincipal Caller caller) {
        int keys = Collections.list(http.getHeaders(IdempotencyKey.HEADER)).size();
        if (keys > 1) {
            // a servlet joins repeated headers with commas: "k1,k2" would be stored as one key
            throw new InvalidFieldException(IdempotencyKey.HEADER, "must be sent once, was sent " + keys + " times");
        }
        SubmittedJob submitted = submissions.submit(request, idempotencyKey, caller.owner());
        if (submitted.replayed()) {
            return ResponseEntity.ok().header(REPLAYED_HEADER, "true").body(submitted.job());
        }
        return ResponseEntity.created(URI.create("/api/jobs/" + submitted.job().id())).body(submitted.job());
    }

    @GetMapping
    @Operation(summary = "List jobs, newest first", description = "The caller's own jobs; an admin key's list "
            + "holds every owner's, or one owner's with the owner parameter.")
    @ApiResponse(responseCode = "200", description = "A page of jobs")
    @ApiResponse(responseCode = "422", description = "page or size out of range")
    JobPage list(@RequestParam(required = false) JobStatus status,
            @Parameter(description = "Only this owner's jobs (admin keys; other keys see only their own)")
            @RequestParam(required = false) String owner,
            @Parameter(description = "Zero-based page") @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size, @AuthenticationPrincipal Caller caller) {
        JobPage.check(page, size);
        Page<JobResponse> result = jobs.list(caller, owner, status, PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt")));
        return new JobPage(result.getContent(), result.getNumber(), result.getSize(), result.getTotalElements(),
                result.getTotalPages());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One job")
    @ApiResponse(responseCode = "200", description = "The job")
    @ApiResponse(responseCode = "404", description = "No such job")
    JobResponse get(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        return jobs.get(id, caller);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a finished job", description = "Removes the job, its metric history and its "
            + "checkpoints; its policy stops answering /act. 409 while it is queued or running: cancel it first.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "No such job")
    @ApiResponse(responseCode = "409", description = "The job is queued or running")
    ResponseEntity<Void> delete(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        jobs.delete(id, caller);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/cancel")
    @Operation(summary = "Cancel a job", description = "A queued job is cancelled at once; a running one stops within "
            + "one iteration and keeps its checkpoints. 409 if the job has already finished.")
    @ApiResponse(responseCode = "200", description = "The job, cancelled or flagged for cancellation")
    @ApiResponse(responseCode = "404", description = "No such job")
    @ApiResponse(responseCode = "409", description = "The job has already finished")
    JobResponse cancel(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        return jobs.cancel(id, caller);
    }

    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Follow a job live", description = "Server-Sent Events: 'metric' events (a metric point as "
            + "GET /api/jobs/{id}/metrics gives it; the event id is its iteration) and 'status' events (first, then on "
            + "every change). Reconnect with Last-Event-ID to go on after that iteration. The stream ends after the "
            + "job's final status.")
    @ApiResponse(responseCode = "200", description = "The event stream")
    @ApiResponse(responseCode = "404", description = "No such job")
    @ApiResponse(responseCode = "429", description = "Too many event streams are open")
    SseEmitter events(@PathVariable UUID id,
            @Parameter(description = "The last metric event seen: the stream starts after that iteration")
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
            @AuthenticationPrincipal Caller caller) {
        return events.stream(id, caller, lastEventId);
    }

    @GetMapping("/{id}/metrics")
    @Operation(summary = "Metric history", description = "Per-iteration metrics under Stable-Baselines3's names, "
            + "ascending by iteration; page with afterIteration.")
    @ApiResponse(responseCode = "200", description = "Up to limit points after afterIteration")
    @ApiResponse(responseCode = "404", description = "No such job")
    @ApiResponse(responseCode = "422", description = "limit out of range")
    MetricsResponse metrics(@PathVariable UUID id, @RequestParam(defaultValue = "0") int afterIteration,
            @RequestParam(defaultValue = "1000") int limit, @AuthenticationPrincipal Caller caller) {
        return jobs.metrics(id, caller, afterIteration, limit);
    }

    record JobPage(List<JobResponse> content, int page, int size, long totalElements, int totalPages) {

        static void check(int page, int size) {
            if (page < 0) {
                throw new InvalidFieldException("page", "must be >= 0, was " + page);
            }
            if (size < 1 || size > 200) {
                throw new InvalidFieldException("size", "must be in [1, 200], was " + size);
            }
            if ((long) page * size > Integer.MAX_VALUE) {
                throw new InvalidFieldException("page", "page * size must stay below 2^31, was page " + page);
            }
        }
    }
}
