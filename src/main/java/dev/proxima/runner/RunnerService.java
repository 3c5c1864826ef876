package dev.proxima.runner;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.proxima.InvalidFieldException;
import dev.proxima.env.Actions;
import dev.proxima.env.EnvironmentSpec;
import dev.proxima.job.ExternalEnvironments;
import dev.proxima.job.JobNotFoundException;
import dev.proxima.job.JobRepository;
import dev.proxima.job.JobService;
import dev.proxima.job.RunnerTokens;
import dev.proxima.vecenv.ExternalVecEnv;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * The runner protocol: checks the runner token, attaches and detaches runners, and hands each
 * checked step to the job's {@link ExternalVecEnv}.
 */
@Service
class RunnerService {

    private static final String BEARER = "Bearer ";

    private final ExternalEnvironments environments;
    private final JobRepository jobs;
    private final JobService jobService;
    /** Token hash to job id: tokens never change, so the step path needs no database query. */
    private final Cache<String, UUID> tokenOwners = Caffeine.newBuilder().maximumSize(10_000).build();

    RunnerService(ExternalEnvironments environments, JobRepository jobs, JobService jobService) {
        this.environments = environments;
        this.jobs = jobs;
        this.jobService = jobService;
    }

    RunnerMessages.AttachResponse attach(UUID jobId, String authorization, RunnerMessages.AttachRequest request) {
        authenticate(jobId, authorization);
        if (request == null || request.numEnvs() == null) {
            throw new InvalidFieldException("numEnvs", "is required");
        }
        int numEnvs = request.numEnvs();
        ExternalEnvironments.Opened opened = environments.openForRunners(jobId)
                .orElseThrow(() -> new RunnerProblems.Conflict("job " + jobId + " is already "
                        + jobService.status(jobId) + ": no runner can attach", true));
        ExternalVecEnv env = opened.env();
        if (numEnvs < 1 || numEnvs > env.size()) {
            throw new InvalidFieldException("numEnvs", "must be in [1, " + env.size()
                    + "] (the job's environment.numEnvs), was " + numEnvs);
        }
        UUID runnerId = UUID.randomUUID();
        int[] slots;
        try {
            slots = env.attach(runnerId, numEnvs);
        } catch (ExternalVecEnv.NoFreeSlotsException e) {
            throw new RunnerProblems.Conflict("job " + jobId + ": " + e.getMessage()
                    + " of " + env.size() + "; detach a runner or wait for a lease to lapse", false);
        } catch (ExternalVecEnv.ClosedException e) {
            throw new RunnerProblems.Conflict("job " + jobId + " has finished: no runner can attach", true);
        }
        long[] seeds = new long[slots.length];
        for (int i = 0; i < slots.length; i++) {
            seeds[i] = opened.seed() + slots[i];
        }
        ExternalVecEnv.Settings settings = env.settings();
        return new RunnerMessages.AttachResponse(runnerId, numEnvs, settings.lease().toSeconds(),
                settings.poll().toSeconds(), seeds);
    }

    void detach(UUID jobId, UUID runnerId, String authorization) {
        authenticate(jobId, authorization);
        ExternalVecEnv env = openEnv(jobId, runnerId);
        try {
            env.detach(runnerId);
        } catch (ExternalVecEnv.NotAttachedException e) {
            throw new RunnerProblems.NotAttached(runnerId);
        }
    }

    /** The answer to a step: its actions, or empty when they are not ready within the poll (202). */
    Optional<RunnerMessages.StepResponse> step(UUID jobId, UUID runnerId, String authorization,
            RunnerMessages.StepRequest request) {
        authenticate(jobId, authorization);
        if (request == null) {
            throw new InvalidFieldException("body", "a step is required");
        }
        ExternalVecEnv env = openEnv(jobId, runnerId);
        try {
            EnvironmentSpec spec = env.spec();
            ExternalVecEnv.Delivery delivery = StepChecks.delivery(request, spec, env.slotsOf(runnerId),
                    env.actionMasksExpected());
            ExternalVecEnv.Answer answer = env.step(runnerId, delivery);
            if (!answer.ready()) {
                return Optional.empty();
            }
            List<Object> actions = new ArrayList<>(answer.actions().length);
            for (double[] action : answer.actions()) {
                actions.add(Actions.encode(spec.actionSpace(), action, 0));
            }
            return Optional.of(new RunnerMessages.StepResponse(answer.sequence(), actions, answer.policyVersion()));
        } catch (ExternalVecEnv.NotAttachedException e) {
            throw new RunnerProblems.NotAttached(runnerId);
        } catch (ExternalVecEnv.OutOfOrderException e) {
            throw new RunnerProblems.OutOfOrder(e.getMessage());
        } catch (ExternalVecEnv.ClosedException e) {
            throw e.finished() ? new RunnerProblems.JobGone(jobId) : new RunnerProblems.Unavailable(jobId);
        }
    }

    /**
     * The job's environment on this instance; 410 when the job has finished, 404 when there is
     * none (the runner cannot be attached). Whether the runner is attached, the environment's
     * own calls tell.
     */
    private ExternalVecEnv openEnv(UUID jobId, UUID runnerId) {
        Optional<ExternalVecEnv> env = environments.find(jobId);
        if (env.isEmpty() || env.get().closed()) {
            if (jobService.status(jobId).isFinal()) {
                throw new RunnerProblems.JobGone(jobId);
            }
            throw new RunnerProblems.NotAttached(runnerId);
        }
        return env.get();
    }

    /** 401 without a token of some job; 404 with the token of another job. */
    private void authenticate(UUID jobId, String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new RunnerProblems.Unauthorized("runner calls need 'Authorization: Bearer <runnerToken>', the "
                    + "token POST /api/jobs answered for the job");
        }
        String hash = RunnerTokens.hash(authorization.substring(BEARER.length()).strip());
        UUID owner = tokenOwners.get(hash, h -> jobs.findIdByRunnerTokenHash(h).orElse(null));
        if (owner == null) {
            throw new RunnerProblems.Unauthorized("the runner token belongs to no job");
        }
        if (!owner.equals(jobId)) {
            throw new JobNotFoundException(jobId);
        }
    }

}
