package dev.proxima.access;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/keys", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "keys", description = "API keys (admin scope): each belongs to an owner and has scopes")
class ApiKeyController {

    private final ApiKeys keys;

    ApiKeyController(ApiKeys keys) {
        this.keys = keys;
    }

    record CreateKeyRequest(
            @Schema(description = "Who the key's jobs, policies and sessions belong to: 1 to 64 letters, digits and "
                    + ". _ @ -", example = "alice", requiredMode = Schema.RequiredMode.REQUIRED) String owner,
            @ArraySchema(schema = @Schema(allowableValues = {"admin", "train", "act"}), minItems = 1,
                    arraySchema = @Schema(description = "admin: keys and every owner's resources; train: submit, "
                            + "follow, cancel and delete one's own jobs, act with them, environment sessions; "
                            + "act: only /act with one's own policies", example = "[\"train\"]",
                            requiredMode = Schema.RequiredMode.REQUIRED))
            List<String> scopes) {
    }

    record KeyResponse(String id,
            @Schema(description = "The secret, in this answer only: send it as 'Authorization: Bearer <key>'")
            String key, String owner, List<String> scopes, java.time.Instant createdAt) {
    }

    record KeyInfo(String id, String owner, List<String> scopes, java.time.Instant createdAt,
            @Schema(description = "When the key was revoked; absent while it is live") java.time.Instant revokedAt) {
    }

    record KeysResponse(List<KeyInfo> keys) {
    }

    @PostMapping
    @Operation(summary = "Create an API key", description = "The answer holds the key's secret; the service keeps "
            + "only its hash, so it cannot be shown again.")
    @ApiResponse(responseCode = "201", description = "Created; the secret is in 'key'")
    @ApiResponse(responseCode = "400", description = "Malformed JSON or a wrong type")
    @ApiResponse(responseCode = "422", description = "owner or scopes missing or invalid; 'field' names it")
    ResponseEntity<KeyResponse> create(@RequestBody CreateKeyRequest request) {
        ApiKeys.Created created = keys.create(request.owner(), request.scopes());
        return ResponseEntity.created(URI.create("/api/keys/" + created.id()))
                .body(new KeyResponse(created.id(), created.key(), created.owner(), ids(created.scopes()),
                        created.createdAt()));
    }

    @GetMapping
    @Operation(summary = "List API keys", description = "Every key, the revoked ones with revokedAt; never a secret.")
    @ApiResponse(responseCode = "200", description = "The keys, oldest first")
    KeysResponse list() {
        return new KeysResponse(keys.list().stream()
                .map(k -> new KeyInfo(k.id(), k.owner(), ids(k.scopes()), k.createdAt(), k.revokedAt()))
                .toList());
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke an API key", description = "At once on this instance, within a second on others. "
            + "Revoking a revoked key is a no-op.")
    @ApiResponse(responseCode = "204", description = "Revoked")
    @ApiResponse(responseCode = "404", description = "No such key")
    ResponseEntity<Void> revoke(@PathVariable String id) {
        keys.revoke(id);
        return ResponseEntity.noContent().build();
    }

    private static List<String> ids(java.util.Set<Scope> scopes) {
        return scopes.stream().sorted().map(Scope::id).toList();
    }
}
