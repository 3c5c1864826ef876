package dev.proxima.policy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proxima.access.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/jobs/{id}/evaluations", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "jobs")
class EvaluationController {

    private final Evaluations evaluations;
    private final ObjectMapper json;

    EvaluationController(Evaluations evaluations, ObjectMapper json) {
        this.evaluations = evaluations;
        this.json = json;
    }

    record EvaluationRequest(
            @Schema(description = "Whole episodes to play, 1 to 100", defaultValue = "10") Integer episodes,
            @Schema(description = "The policy's most probable action (its mean for Box spaces) instead of a "
                    + "sample", defaultValue = "true") Boolean deterministic,
            @Schema(description = "Seeds the first reset (and the sampling); random when absent") Long seed,
            @Schema(description = "latest, best or an iteration number", defaultValue = "latest") String checkpoint) {
    }

    record EvaluationResponse(UUID id, UUID jobId, CheckpointRef checkpoint, int episodes, boolean deterministic,
            long seed, double meanReturn,
            @Schema(description = "The returns' standard deviation (population, as numpy's std)") double stdReturn,
            double meanLength, List<Double> returns, List<Integer> lengths, Instant createdAt) {
    }

    record CheckpointRef(int iteration, long timesteps) {
    }

    record EvaluationsResponse(List<EvaluationResponse> evaluations) {
    }

    @PostMapping
    @Operation(summary = "Evaluate a checkpoint", description = "Plays whole episodes of the job's built-in "
            + "environment with the checkpoint's policy, as rl-zoo evaluates (its time limit, unscaled rewards), and "
            + "stores the result with the job. Runs while the request waits: up to 100 episodes.")
    @ApiResponse(responseCode = "201", description = "The evaluation")
    @ApiResponse(responseCode = "404", description = "No such job, or no checkpoint at that iteration")
    @ApiResponse(responseCode = "409", description = "No checkpoint yet, or the job trains an external environment")
    @ApiResponse(responseCode = "422", description = "episodes, seed or checkpoint out of range; 'field' names it")
    @ApiResponse(responseCode = "429", description = "Two evaluations are running; Retry-After says when to retry")
    ResponseEntity<EvaluationResponse> evaluate(@PathVariable UUID id,
            @RequestBody(required = false) EvaluationRequest request, @AuthenticationPrincipal Caller caller) {
        Evaluation evaluation = evaluations.evaluate(id, caller,
                request == null ? new EvaluationRequest(null, null, null, null) : request);
        return ResponseEntity.created(URI.create("/api/jobs/" + id + "/evaluations/" + evaluation.getId()))
                .body(response(evaluation));
    }

    @GetMapping
    @Operation(summary = "A job's evaluations", description = "Oldest first.")
    @ApiResponse(responseCode = "200", description = "The evaluations")
    @ApiResponse(responseCode = "404", description = "No such job")
    EvaluationsResponse list(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        return new EvaluationsResponse(evaluations.list(id, caller).stream().map(this::response).toList());
    }

    private EvaluationResponse response(Evaluation e) {
        try {
            return new EvaluationResponse(e.getId(), e.getJobId(),
                    new CheckpointRef(e.getCheckpointIteration(), e.getCheckpointTimesteps()), e.getEpisodes(),
                    e.isDeterministic(), e.getSeed(), e.getMeanReturn(), e.getStdReturn(), e.getMeanLength(),
                    json.readValue(e.getReturnsJson(), new TypeReference<>() { }),
                    json.readValue(e.getLengthsJson(), new TypeReference<>() { }), e.getCreatedAt());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
