package dev.proxima.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * A runner for simulations on the JVM: steps copies of a {@link Simulation} for an external
 * Proxima job through the runner protocol until the job ends. Uses only the JDK's HTTP client
 * and Jackson, so it can be copied into any JVM project.
 *
 * <pre>{@code
 * try (ProximaRunner runner = new ProximaRunner(URI.create("http://localhost:8080"), jobId, token,
 *         4, copy -> new MySimulation())) {
 *     runner.run();   // returns when the job has finished
 * }
 * }</pre>
 *
 * <p>It resets each copy with the seed the service suggests, resets a copy in the same step its
 * episode ends (sending the ended episode's last observation when it was truncated), resends a
 * step after a 202, retries connection failures and 503s with capped exponential backoff, and
 * attaches again (resetting its copies) when the service no longer knows it, as after a restart.
 */
public final class ProximaRunner implements AutoCloseable {

    /** One copy of the user's environment. */
    public interface Simulation {
        /** Starts an episode; {@code seed} is null after the first one (continue the copy's random stream). */
        double[] reset(Long seed);

        /** Applies one action: an index for Discrete spaces, indices for MultiDiscrete, numbers for Box. */
        Step step(double[] action);

        /** The legal actions for the current observation, for jobs with actionMasks; null otherwise. */
        default boolean[] actionMask() {
            return null;
        }
    }

    /** What a step of a simulation returns, as Gymnasium's step does. */
    public record Step(double[] observation, double reward, boolean terminated, boolean truncated) {
    }

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI service;
    private final UUID jobId;
    private final String token;
    private final Simulation[] copies;
    private final Duration giveUpAfter;
    private UUID runnerId;
    private long[] seeds;
    private volatile boolean stopped;

    public ProximaRunner(URI service, UUID jobId, String token, int numEnvs, IntFunction<Simulation> makeCopy) {
        this(service, jobId, token, numEnvs, makeCopy, Duration.ofMinutes(10));
    }

    /** @param giveUpAfter how long connection failures may last before {@link #run} gives up */
    public ProximaRunner(URI service, UUID jobId, String token, int numEnvs, IntFunction<Simulation> makeCopy,
            Duration giveUpAfter) {
        this.service = service;
        this.jobId = jobId;
        this.token = token;
        this.copies = new Simulation[numEnvs];
        for (int i = 0; i < numEnvs; i++) {
            copies[i] = makeCopy.apply(i);
        }
        this.giveUpAfter = giveUpAfter;
    }

    /** Steps the copies until the job finishes (410) or {@link #stop} is called. */
    public void run() throws IOException, InterruptedException {
        while (!stopped) {
            if (!attach()) {
                return;
            }
            if (stepUntilDetached()) {
                return;
            }
        }
    }

    /** Makes {@link #run} return after the current step, without detaching. */
    public void stop() {
        stopped = true;
    }

    /** Detaches (best effort): the service frees this runner's copies at once instead of when the lease lapses. */
    @Override
    public void close() {
        stopped = true;
        if (runnerId != null) {
            try {
                send(HttpRequest.newBuilder(runnerUri("")).DELETE());
            } catch (IOException | InterruptedException ignored) {
                // the lease lapses instead
            }
        }
    }

    public UUID runnerId() {
        return runnerId;
    }

    /** @return false when the job has finished */
    private boolean attach() throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode().put("numEnvs", copies.length);
        HttpResponse<String> response = call(post(service.resolve("/api/jobs/" + jobId + "/runners"), body));
        if (response.statusCode() == 409 && json.readTree(response.body()).path("jobFinished").asBoolean()) {
            return false;
        }
        JsonNode attached = expect(response, 201);
        runnerId = UUID.fromString(attached.get("runnerId").asText());
        seeds = new long[copies.length];
        for (int i = 0; i < copies.length; i++) {
            seeds[i] = attached.get("seeds").get(i).asLong();
        }
        return true;
    }

    /** @return true when the job has finished, false when this runner must attach again */
    private boolean stepUntilDetached() throws IOException, InterruptedException {
        int n = copies.length;
        double[][] observations = new double[n][];
        for (int i = 0; i < n; i++) {
            observations[i] = copies[i].reset(seeds[i]);
        }
        ObjectNode body = stepBody(0, observations, null, null, null, null);
        for (long sequence = 0; !stopped; sequence++) {
            HttpResponse<String> response = call(post(runnerUri("/steps"), body));
            while (response.statusCode() == 202 && !stopped) {
                Thread.sleep(1000L * Math.max(1, Integer.parseInt(response.headers().firstValue("Retry-After").orElse("1"))));
                response = call(post(runnerUri("/steps"), body));
            }
            if (response.statusCode() == 410) {
                return true;
            }
            if (response.statusCode() == 404) {
                runnerId = null;
                return false;
            }
            JsonNode answer = expect(response, 200);
            JsonNode actions = answer.get("actions");
            double[] rewards = new double[n];
            boolean[] terminated = new boolean[n];
            boolean[] truncated = new boolean[n];
            double[][] finals = new double[n][];
            for (int i = 0; i < n; i++) {
                Step step = copies[i].step(action(actions.get(i)));
                rewards[i] = step.reward();
                terminated[i] = step.terminated();
                truncated[i] = step.truncated();
                if (step.terminated() || step.truncated()) {
                    if (step.truncated() && !step.terminated()) {
                        finals[i] = step.observation();
                    }
                    observations[i] = copies[i].reset(null);
                } else {
                    observations[i] = step.observation();
                }
            }
            body = stepBody(sequence + 1, observations, rewards, terminated, truncated, finals);
        }
        return true;
    }

    private ObjectNode stepBody(long sequence, double[][] observations, double[] rewards, boolean[] terminated,
            boolean[] truncated, double[][] finals) {
        ObjectNode body = json.createObjectNode().put("sequence", sequence);
        ArrayNode rows = body.putArray("observations");
        for (double[] observation : observations) {
            ArrayNode row = rows.addArray();
            for (double value : observation) {
                row.add(value);
            }
        }
        if (rewards != null) {
            ArrayNode r = body.putArray("rewards");
            ArrayNode te = body.putArray("terminated");
            ArrayNode tr = body.putArray("truncated");
            ObjectNode f = body.putObject("finalObservations");
            for (int i = 0; i < rewards.length; i++) {
                r.add(rewards[i]);
                te.add(terminated[i]);
                tr.add(truncated[i]);
                if (finals[i] != null) {
                    ArrayNode row = f.putArray(Integer.toString(i));
                    for (double value : finals[i]) {
                        row.add(value);
                    }
                }
            }
        }
        boolean[] first = copies[0].actionMask();
        if (first != null) {
            ArrayNode masks = body.putArray("actionMasks");
            for (Simulation copy : copies) {
                ArrayNode row = masks.addArray();
                for (boolean flag : copy.actionMask()) {
                    row.add(flag);
                }
            }
        }
        return body;
    }

    /** An action as the environment takes it: {a}, the array's values, or a hybrid {type, p_1..p_m}. */
    private static double[] action(JsonNode action) {
        if (action.isNumber()) {
            return new double[] {action.asDouble()};
        }
        if (action.isObject()) {
            JsonNode parameters = action.get("parameters");
            double[] values = new double[1 + parameters.size()];
            values[0] = action.get("type").asDouble();
            for (int i = 0; i < parameters.size(); i++) {
                values[1 + i] = parameters.get(i).asDouble();
            }
            return values;
        }
        double[] values = new double[action.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = action.get(i).asDouble();
        }
        return values;
    }

    private URI runnerUri(String suffix) {
        return service.resolve("/api/jobs/" + jobId + "/runners/" + runnerId + suffix);
    }

    private HttpRequest.Builder post(URI uri, JsonNode body) throws IOException {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
    }

    /** Sends, retrying connection failures and 502/503/504 with backoff for up to giveUpAfter. */
    private HttpResponse<String> call(HttpRequest.Builder request) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        Duration backoff = Duration.ofMillis(250);
        while (true) {
            try {
                HttpResponse<String> response = send(request);
                int status = response.statusCode();
                if (status != 502 && status != 503 && status != 504) {
                    return response;
                }
                if (System.nanoTime() > deadline) {
                    return response;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(backoff.toMillis());
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        // setHeader: a retry sends the same builder again
        return http.send(request.setHeader("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode expect(HttpResponse<String> response, int status) throws IOException {
        if (response.statusCode() != status) {
            throw new IOException("runner call answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }
}
