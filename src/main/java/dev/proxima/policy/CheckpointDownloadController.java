package dev.proxima.policy;

import dev.proxima.access.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "jobs")
class CheckpointDownloadController {

    private final CheckpointDownloads downloads;

    CheckpointDownloadController(CheckpointDownloads downloads) {
        this.downloads = downloads;
    }

    @GetMapping("/api/jobs/{id}/checkpoints/{iteration}/download")
    @Operation(summary = "Download a checkpoint", description = "A zip of manifest.json (spaces, observation "
            + "normalisation statistics, action post-processing, hyperparameters, versions) and policy.zip, the "
            + "checkpoint archive byte for byte as stored (its SHA-256 is in the manifest).")
    @ApiResponse(responseCode = "200", description = "The zip", content = @Content(mediaType = "application/zip",
            schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "404", description = "No such job, or no checkpoint stored at that iteration",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    ResponseEntity<byte[]> download(@PathVariable UUID id, @PathVariable int iteration,
            @AuthenticationPrincipal Caller caller) {
        CheckpointDownloads.Download download = downloads.download(id, iteration, caller);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/zip"))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(download.fileName()).build().toString())
                .body(download.zip());
    }
}
