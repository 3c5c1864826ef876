package dev.proxima.policy;

import dev.proxima.access.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.MediaType;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/policies", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "policies", description = "Actions from trained policies")
class PolicyController {

    private final PolicyService acting;

    PolicyController(PolicyService acting) {
        this.acting = acting;
    }

    @PostMapping("/{jobId}/act")
    @Operation(summary = "Actions for observations", description = "Serves one of the job's checkpoints (the latest by "
            + "default), also while it trains; the response's checkpoint says which. 409 before the job's first "
            + "checkpoint exists.")
    @ApiResponse(responseCode = "200", description = "action for observation, actions for observations")
    @ApiResponse(responseCode = "400", description = "Malformed JSON")
    @ApiResponse(responseCode = "404", description = "No such job, or no stored checkpoint at the iteration asked for")
    @ApiResponse(responseCode = "409", description = "The job has no checkpoint yet (or, for best, none with an ep_rew_mean)")
    @ApiResponse(responseCode = "422", description = "An observation of the wrong length or with a non-finite value, an action mask of the wrong length or allowing nothing in a dimension, or a malformed checkpoint; 'field' names it")
    ActResponse act(@PathVariable UUID jobId,
            @Parameter(description = "Which checkpoint acts: latest, best (the highest ep_rew_mean) or an iteration "
                    + "number that GET /api/jobs/{id}/checkpoints lists", schema = @Schema(type = "string",
                    defaultValue = "latest", example = "best"))
            @RequestParam(name = "checkpoint", required = false) String checkpointParameter,
            @RequestBody ActRequest request, @AuthenticationPrincipal Caller caller) {
        return acting.act(jobId, caller, checkpointParameter, request);
    }
}
