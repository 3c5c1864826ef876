package dev.proxima.policy;

import dev.proxima.access.Caller;
import dev.proxima.job.JobService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.proxima.InvalidFieldException;
import dev.proxima.env.Actions;
import dev.proxima.ppo.Policy;
import dev.proxima.ppo.distribution.ActionDistribution;
import dev.proxima.ppo.distribution.ChoiceDistribution;
import dev.proxima.ppo.distribution.DiagGaussian;
import dev.proxima.ppo.distribution.HybridDistribution;
import dev.proxima.ppo.model.ActorCritic;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Service;

/**
 * Acting with a job's policy: checks an /act request against the policy that is to answer it,
 * runs the policy under its lock and encodes the actions as the action space spells them.
 */
@Service
class PolicyService {

    static final int MAX_BATCH = 4096;

    private final PolicyCache policies;
    private final JobService jobs;

    private final Timer acted;

    PolicyService(PolicyCache policies, JobService jobs, MeterRegistry registry) {
        this.policies = policies;
        this.jobs = jobs;
        this.acted = Timer.builder("proxima.act").description("/act calls answered with actions, as the service "
                + "spends them (the HTTP round trip is http.server.requests)").publishPercentileHistogram()
                .register(registry);
    }

    /**
     * @param checkpoint the {@code checkpoint} query parameter, or null for the latest; parsed
     *     after the request's shape is checked, so that a request wrong in both names its body
     */
    ActResponse act(UUID jobId, Caller caller, String checkpoint, ActRequest request) {
        long start = System.nanoTime();
        ActResponse response = actUnmeasured(jobId, caller, checkpoint, request);
        acted.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        return response;
    }

    private ActResponse actUnmeasured(UUID jobId, Caller caller, String checkpoint, ActRequest request) {
        jobs.checkAccess(jobId, caller);
        boolean single = request.observation() != null;
        if (single == (request.observations() != null)) {
            throw new InvalidFieldException("observation", "give exactly one of observation and observations");
        }
        PolicyCache.LoadedPolicy loaded = policies.get(jobId, CheckpointSelector.parse(checkpoint));
        Policy policy = loaded.policy();
        double[][] rows = single ? new double[][] {request.observation()} : request.observations();
        if (rows.length == 0 || rows.length > MAX_BATCH) {
            throw new InvalidFieldException("observations", "must hold 1 to " + MAX_BATCH + " observations");
        }
        for (int r = 0; r < rows.length; r++) {
            checkObservation(single ? "observation" : "observations[" + r + "]", rows[r], policy.observationSize());
        }
        boolean[][] masks = ActionMasks.of(request, single, rows.length, policy);
        boolean deterministic = Boolean.TRUE.equals(request.deterministic());
        boolean withDetails = Boolean.TRUE.equals(request.includeDetails());
        ActorCritic.Acted acted;
        synchronized (policy) {
            acted = withDetails
                    ? policy.actWithDetails(rows, masks, deterministic, ThreadLocalRandom.current())
                    : new ActorCritic.Acted(policy.act(rows, masks, deterministic, ThreadLocalRandom.current()), null,
                            null, null);
        }
        List<Object> actions = actions(policy, acted.actions(), rows.length);
        List<ActResponse.ActionDetails> details = withDetails ? details(policy, acted, rows.length) : null;
        CheckpointInfo served = loaded.checkpoint();
        var servedRef = new ActResponse.CheckpointRef(served.iteration(), served.timesteps(), served.episodeReturnMean());
        return single
                ? new ActResponse(actions.get(0), null, servedRef, details == null ? null : details.get(0))
                : new ActResponse(null, actions, servedRef, details);
    }

    private static void checkObservation(String field, double[] observation, int size) {
        if (observation == null) {
            throw new InvalidFieldException(field, "is required");
        }
        if (observation.length != size) {
            throw new InvalidFieldException(field, "must have " + size + " values, had " + observation.length);
        }
        for (int i = 0; i < observation.length; i++) {
            if (!Double.isFinite(observation[i]) || Math.abs(observation[i]) > Float.MAX_VALUE) {
                throw new InvalidFieldException(field + "[" + i + "]", "must be a finite number within float range");
            }
        }
    }

    /** As {@link Actions#encode}: integers, integer arrays, number arrays, or hybrid {type, parameters} objects. */
    private static List<Object> actions(Policy policy, double[] actions, int rows) {
        int actionSize = policy.actionSize();
        List<Object> result = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            result.add(Actions.encode(policy.actionSpace(), actions, r * actionSize));
        }
        return result;
    }

    private static List<ActResponse.ActionDetails> details(Policy policy, ActorCritic.Acted acted, int rows) {
        ActionDistribution distribution = policy.distribution();
        int paramSize = distribution.paramSize();
        List<ActResponse.ActionDetails> result = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            if (distribution instanceof ChoiceDistribution choices) {
                double[] probabilities = new double[paramSize];
                choices.probabilities(acted.params(), r * paramSize, probabilities);
                result.add(new ActResponse.ActionDetails(acted.values()[r], acted.logProbs()[r], probabilities, null,
                        null));
            } else if (distribution instanceof HybridDistribution hybrid) {
                int offset = r * paramSize;
                result.add(new ActResponse.ActionDetails(acted.values()[r], acted.logProbs()[r],
                        hybrid.typeProbabilities(acted.params(), offset), hybrid.means(acted.params(), offset),
                        hybrid.std(acted.params(), offset)));
            } else {
                DiagGaussian gaussian = (DiagGaussian) distribution;
                double[] mean = gaussian.mean(acted.params(), r * paramSize);
                double[] std = gaussian.std(acted.params(), r * paramSize);
                result.add(new ActResponse.ActionDetails(acted.values()[r], acted.logProbs()[r], null, mean, std));
            }
        }
        return result;
    }
}
