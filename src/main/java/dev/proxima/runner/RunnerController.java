package dev.proxima.runner;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The runner protocol: runners of an external job attach, step their copies, and detach. */
@RestController
@RequestMapping(path = "/api/jobs/{id}/runners", produces = MediaType.APPLICATION_JSON_VALUE)
@SecurityRequirement(name = "runnerToken")
@Tag(name = "runners", description = "Train on your own environment: runners step it and poll for actions "
        + "(the runner protocol, README)")
class RunnerController {

    private static final int RETRY_AFTER_SECONDS = 1;

    private final RunnerService runners;

    RunnerController(RunnerService runners) {
        this.runners = runners;
    }

    @PostMapping
    @Operation(summary = "Attach a runner", description = "The runner steps numEnvs copies of the job's external "
            + "environment; the copies of all runners add up to the job's environment.numEnvs. Send the job's "
            + "runnerToken as 'Authorization: Bearer <token>'.")
    @ApiResponse(responseCode = "201", description = "Attached; Location names the runner")
    @ApiResponse(responseCode = "401", description = "No runner token, or one of no job")
    @ApiResponse(responseCode = "404", description = "No such job, or the token is another job's")
    @ApiResponse(responseCode = "409", description = "Fewer free copies than numEnvs, or the job has finished")
    @ApiResponse(responseCode = "422", description = "numEnvs missing or out of range")
    ResponseEntity<RunnerMessages.AttachResponse> attach(@PathVariable UUID id,
            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestBody RunnerMessages.AttachRequest request) {
        RunnerMessages.AttachResponse attached = runners.attach(id, authorization, request);
        return ResponseEntity.created(URI.create("/api/jobs/" + id + "/runners/" + attached.runnerId())).body(attached);
    }

    @PostMapping("/{runnerId}/steps")
    @Operation(summary = "Send one vector step, get the actions", description = "Sequence 0 carries the observations "
            + "after reset; later sequences the rewards and episode ends of the previous actions, too. Waits up to "
            + "proxima.runners.poll for the actions (while the policy updates, or other runners' copies are "
            + "behind), then answers 202: send the same step again. A retry of a sequence gets the same actions and "
            + "counts its rewards once.")
    @ApiResponse(responseCode = "200", description = "The actions, one per copy",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = RunnerMessages.StepResponse.class)))
    @ApiResponse(responseCode = "202", description = "Not ready yet: send the same step again after Retry-After",
            headers = @Header(name = "Retry-After", description = "Seconds to wait", schema = @Schema(type = "integer")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = RunnerMessages.StepPending.class)))
    @ApiResponse(responseCode = "401", description = "No runner token, or one of no job")
    @ApiResponse(responseCode = "404", description = "No such job, the token is another job's, or the runner is not "
            + "attached (detached, lease lost, service restarted): attach again")
    @ApiResponse(responseCode = "409", description = "sequence is neither the next one nor a retry of the last")
    @ApiResponse(responseCode = "410", description = "The job has finished: stop")
    @ApiResponse(responseCode = "422", description = "A malformed step: wrong counts or lengths, a non-finite "
            + "number, a missing final observation, a mask that allows nothing; 'field' names it")
    @ApiResponse(responseCode = "503", description = "The job stopped running on this instance (a shutdown): retry "
            + "with backoff", headers = @Header(name = "Retry-After", description = "Seconds to wait",
            schema = @Schema(type = "integer")))
    ResponseEntity<?> step(@PathVariable UUID id, @PathVariable UUID runnerId,
            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestBody RunnerMessages.StepRequest request) {
        return runners.step(id, runnerId, authorization, request)
                .<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.status(HttpStatus.ACCEPTED)
                        .header(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS))
                        .body(new RunnerMessages.StepPending(request.sequence(), RETRY_AFTER_SECONDS)));
    }

    @DeleteMapping("/{runnerId}")
    @Operation(summary = "Detach a runner", description = "Its copies' unfinished episodes are cut as truncated and "
            + "its copies free up for another runner.")
    @ApiResponse(responseCode = "204", description = "Detached")
    @ApiResponse(responseCode = "401", description = "No runner token, or one of no job")
    @ApiResponse(responseCode = "404", description = "No such job or runner, or the token is another job's")
    @ApiResponse(responseCode = "410", description = "The job has finished")
    ResponseEntity<Void> detach(@PathVariable UUID id, @PathVariable UUID runnerId,
            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        runners.detach(id, runnerId, authorization);
        return ResponseEntity.noContent().build();
    }
}
