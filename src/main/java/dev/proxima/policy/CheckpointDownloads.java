package dev.proxima.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proxima.Secrets;
import dev.proxima.access.Caller;
import dev.proxima.env.BoxSpace;
import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.env.HybridSpace;
import dev.proxima.env.Space;
import dev.proxima.envapi.EnvironmentResponse.SpaceResponse;
import dev.proxima.job.JobResponse;
import dev.proxima.job.JobService;
import dev.proxima.ppo.Policy;
import dev.proxima.vecenv.ObservationNormalizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Component;

/**
 * A checkpoint to take away: one zip holding {@code policy.zip}, the archive byte for byte as
 * stored (PolicyArchive's format, which Proxima reads back), and {@code manifest.json}, what a
 * reader elsewhere needs to use it: the spaces, the observation normaliser's statistics, how
 * actions are post-processed, the effective hyperparameters and the versions that wrote it.
 */
@Component
class CheckpointDownloads {

    static final String MANIFEST_FORMAT = "proxima-checkpoint/1";

    /** A download: its file name and bytes. */
    record Download(String fileName, byte[] zip) {
    }

    private final JobService jobs;
    private final CheckpointStore checkpoints;
    private final EnvironmentRegistry environments;
    private final ObjectMapper json;
    private final String proximaVersion;

    CheckpointDownloads(JobService jobs, CheckpointStore checkpoints, EnvironmentRegistry environments,
            ObjectMapper json, ObjectProvider<BuildProperties> build) {
        this.jobs = jobs;
        this.checkpoints = checkpoints;
        this.environments = environments;
        this.json = json;
        BuildProperties properties = build.getIfAvailable();
        this.proximaVersion = properties == null ? "unknown" : properties.getVersion();
    }

    /** 404 for another owner's job or an iteration not stored. */
    Download download(UUID jobId, int iteration, Caller caller) {
        JobResponse job = jobs.get(jobId, caller);
        CheckpointInfo checkpoint = checkpoints.find(jobId, CheckpointSelector.ofIteration(iteration));
        byte[] archive = checkpoints.archive(checkpoint);
        if (archive == null) {
            throw new CheckpointNotFoundException(jobId, iteration);
        }
        Map<String, Object> manifest = manifest(job, checkpoint, archive, Policy.forServing(archive));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(archive.length + 8192);
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("manifest.json"));
            zip.write(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("policy.zip"));
            zip.write(archive);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = job.name().replaceAll("[^A-Za-z0-9._-]", "_");
        return new Download(name + "-iteration-" + iteration + ".zip", bytes.toByteArray());
    }

    private Map<String, Object> manifest(JobResponse job, CheckpointInfo checkpoint, byte[] archive, Policy policy) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", MANIFEST_FORMAT);
        manifest.put("jobId", job.id());
        manifest.put("jobName", job.name());
        manifest.put("owner", job.owner());
        manifest.put("iteration", checkpoint.iteration());
        manifest.put("timesteps", checkpoint.timesteps());
        manifest.put("episodeReturnMean", checkpoint.episodeReturnMean());
        manifest.put("policyArchive", Map.of("file", "policy.zip", "bytes", archive.length,
                "sha256", Secrets.hash(archive)));
        manifest.put("environment", job.environment());
        var environment = job.environment();
        manifest.put("observationSpace", environment.isExternal() ? environment.external().observationSpace()
                : environments.find(environment.id()).map(spec -> SpaceResponse.of(spec.observationSpace()))
                        .orElse(null));
        manifest.put("actionSpace", SpaceResponse.of(policy.actionSpace()));
        manifest.put("observationNormalization", normalization(policy.normalizer()));
        manifest.put("actionPostprocessing", postprocessing(policy.actionSpace()));
        manifest.put("hyperparameters", job.request().hyperparameters());
        manifest.put("versions", Map.of("proxima", proximaVersion,
                "deeplearning4j", mavenVersion("org.deeplearning4j", "deeplearning4j-nn"),
                "nd4j", mavenVersion("org.nd4j", "nd4j-api"),
                "java", Runtime.version().toString()));
        return manifest;
    }

    private static Map<String, Object> normalization(ObservationNormalizer normalizer) {
        if (normalizer == null) {
            return null;
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("formula", "clip((observation - mean) / sqrt(var + epsilon), -clip, clip)");
        stats.put("mean", normalizer.mean());
        stats.put("var", normalizer.var());
        stats.put("count", normalizer.count());
        stats.put("clip", normalizer.clip());
        stats.put("epsilon", normalizer.epsilon());
        return stats;
    }

    private static Map<String, Object> postprocessing(Space actionSpace) {
        if (actionSpace instanceof BoxSpace) {
            return Map.of("kind", "clip", "description", "the Gaussian's sample (its mean when deterministic), "
                    + "clipped to the action space's low and high");
        }
        if (actionSpace instanceof HybridSpace) {
            return Map.of("kind", "hybrid", "description", "the action type sampled (the most probable when "
                    + "deterministic); its parameters from the Gaussian, clipped to the parameter box's bounds");
        }
        return Map.of("kind", "categorical", "description", "per dimension, the choice sampled (the most "
                + "probable when deterministic), masked choices excluded");
    }

    private static String mavenVersion(String group, String artifact) {
        String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = CheckpointDownloads.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
