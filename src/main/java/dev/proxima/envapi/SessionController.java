package dev.proxima.envapi;

import dev.proxima.access.Caller;
import com.fasterxml.jackson.databind.JsonNode;
import dev.proxima.env.StepResult;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Environment sessions over HTTP: reset and step an environment from any client, as gym-http-api. */
@RestController
@Tag(name = "sessions", description = "Step Proxima's environments over HTTP")
class SessionController {

    private final EnvironmentSessions sessions;

    SessionController(EnvironmentSessions sessions) {
        this.sessions = sessions;
    }

    record OpenRequest(@Schema(description = "Seeds the first reset; random when left out") Long seed) {
    }

    record ResetRequest(
            @Schema(description = "Re-seeds the environment") Long seed,
            @Schema(description = "Start from this internal state (Gymnasium's env.unwrapped.state)") double[] state) {
    }

    record StepRequest(@Schema(description = "An integer for Discrete spaces, an array of integers (one per dimension) "
            + "for MultiDiscrete spaces, an array of numbers for Box spaces")
            JsonNode action) {
    }

    record SessionResponse(UUID sessionId, String environmentId, double[] observation) {
    }

    record ObservationResponse(double[] observation) {
    }

    record StepResponse(double[] observation, double reward, boolean terminated, boolean truncated) {
    }

    record SessionsResponse(@Schema(description = "The open sessions, the most recently used first")
            List<EnvironmentSessions.Listed> sessions,
            @Schema(description = "The most sessions open at once (proxima.sessions.max)") int max,
            @Schema(description = "The most sessions one owner may have open (proxima.quotas.sessions-per-owner)")
            int maxPerOwner) {
    }

    @GetMapping(path = "/api/sessions", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Open sessions", description = "The caller's open sessions (an admin's: everyone's) with their environment, when it was opened "
            + "and last used, and when it expires unless used again (proxima.sessions.idle-timeout).")
    @ApiResponse(responseCode = "200", description = "The open sessions")
    SessionsResponse list(@AuthenticationPrincipal Caller caller) {
        return new SessionsResponse(sessions.list(caller), sessions.max(), sessions.maxPerOwner());
    }

    @PostMapping(path = "/api/environments/{envId}/sessions", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Open a session", description = "Creates the environment (with its time limit) and resets it.")
    @ApiResponse(responseCode = "201", description = "The session and its first observation")
    @ApiResponse(responseCode = "404", description = "No such environment")
    @ApiResponse(responseCode = "429", description = "Too many open sessions, in all or of the caller's owner")
    ResponseEntity<SessionResponse> open(@PathVariable String envId, @RequestBody(required = false) OpenRequest request,
            @AuthenticationPrincipal Caller caller) {
        EnvironmentSessions.Opened opened = sessions.open(envId, request == null ? null : request.seed(), caller);
        return ResponseEntity.created(URI.create("/api/sessions/" + opened.id()))
                .body(new SessionResponse(opened.id(), envId, opened.observation()));
    }

    @PostMapping(path = "/api/sessions/{sessionId}/reset", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Reset", description = "Optionally re-seeded, or started from an explicit internal state.")
    @ApiResponse(responseCode = "200", description = "The first observation")
    @ApiResponse(responseCode = "404", description = "No such session")
    @ApiResponse(responseCode = "422", description = "A state of the wrong length or not finite")
    ObservationResponse reset(@PathVariable UUID sessionId, @RequestBody(required = false) ResetRequest request,
            @AuthenticationPrincipal Caller caller) {
        return new ObservationResponse(request == null
                ? sessions.reset(sessionId, caller, null, null)
                : sessions.reset(sessionId, caller, request.seed(), request.state()));
    }

    @PostMapping(path = "/api/sessions/{sessionId}/step", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Step", description = "One environment step; after the episode ends, reset before stepping on.")
    @ApiResponse(responseCode = "200", description = "Observation, reward, terminated, truncated")
    @ApiResponse(responseCode = "404", description = "No such session")
    @ApiResponse(responseCode = "422", description = "An action outside the action space")
    StepResponse step(@PathVariable UUID sessionId, @RequestBody StepRequest request,
            @AuthenticationPrincipal Caller caller) {
        double[] action = StepActions.parse(request == null ? null : request.action(),
                sessions.actionSpace(sessionId, caller));
        StepResult result = sessions.step(sessionId, caller, action);
        return new StepResponse(result.observation(), result.reward(), result.terminated(), result.truncated());
    }

    @DeleteMapping("/api/sessions/{sessionId}")
    @Operation(summary = "Close a session")
    @ApiResponse(responseCode = "204", description = "Closed")
    @ApiResponse(responseCode = "404", description = "No such session")
    ResponseEntity<Void> close(@PathVariable UUID sessionId, @AuthenticationPrincipal Caller caller) {
        sessions.close(sessionId, caller);
        return ResponseEntity.noContent().build();
    }
}
