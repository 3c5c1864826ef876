package dev.proxima.envapi;

import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.env.UnknownEnvironmentException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.MediaType;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/environments", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "environments", description = "The environments jobs can train on")
class EnvironmentController {

    private final EnvironmentRegistry registry;

    EnvironmentController(EnvironmentRegistry registry) {
        this.registry = registry;
    }

    @GetMapping
    @Operation(summary = "All environments with their spaces")
    List<EnvironmentResponse> list() {
        return registry.specs().stream().map(EnvironmentResponse::of).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "One environment")
    @ApiResponse(responseCode = "200", description = "The environment")
    @ApiResponse(responseCode = "404", description = "No such environment")
    EnvironmentResponse get(@PathVariable String id) {
        return registry.find(id).map(EnvironmentResponse::of).orElseThrow(() -> new UnknownEnvironmentException(id));
    }
}
