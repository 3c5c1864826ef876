package dev.proxima.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proxima.InvalidFieldException;
import dev.proxima.ProblemException;
import dev.proxima.access.Caller;
import dev.proxima.env.Environment;
import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.env.StepResult;
import dev.proxima.job.JobResponse;
import dev.proxima.job.JobService;
import dev.proxima.ppo.Policy;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Evaluations as rl-zoo does them: a checkpoint's policy plays whole episodes of the job's
 * built-in environment (its time limit, unscaled rewards, the policy's own observation
 * normalisation), deterministic by default; the first reset is seeded and the later ones go on
 * from it. At most {@link #RUNNING_AT_ONCE} run at once, each on the calling request's thread.
 */
@Service
class Evaluations {

    static final int MAX_EPISODES = 100;
    static final int DEFAULT_EPISODES = 10;
    private static final int RUNNING_AT_ONCE = 2;

    private final JobService jobs;
    private final CheckpointStore checkpoints;
    private final EnvironmentRegistry environments;
    private final EvaluationRepository evaluations;
    private final ObjectMapper json;
    private final Clock clock;
    private final Semaphore running = new Semaphore(RUNNING_AT_ONCE);

    Evaluations(JobService jobs, CheckpointStore checkpoints, EnvironmentRegistry environments,
            EvaluationRepository evaluations, ObjectMapper json, Clock clock) {
        this.jobs = jobs;
        this.checkpoints = checkpoints;
        this.environments = environments;
        this.evaluations = evaluations;
        this.json = json;
        this.clock = clock;
    }

    Evaluation evaluate(UUID jobId, Caller caller, EvaluationController.EvaluationRequest request) {
        JobResponse job = jobs.get(jobId, caller);
        int episodes = request.episodes() == null ? DEFAULT_EPISODES : request.episodes();
        if (episodes < 1 || episodes > MAX_EPISODES) {
            throw new InvalidFieldException("episodes", "must be in [1, " + MAX_EPISODES + "], was " + episodes);
        }
        boolean deterministic = request.deterministic() == null || request.deterministic();
        long seed = request.seed() == null ? ThreadLocalRandom.current().nextLong(1L << 31) : request.seed();
        if (seed < 0) {
            throw new InvalidFieldException("seed", "must be >= 0, was " + seed);
        }
        CheckpointSelector selector = CheckpointSelector.parse(request.checkpoint());
        if (job.environment().isExternal()) {
            throw new ExternalEnvironmentException(jobId);
        }
        CheckpointInfo checkpoint = checkpoints.find(jobId, selector);
        byte[] archive = checkpoints.archive(checkpoint);
        if (archive == null) {
            throw new CheckpointNotFoundException(jobId, checkpoint.iteration());
        }
        if (!running.tryAcquire()) {
            throw new BusyException();
        }
        try {
            Policy policy = Policy.forServing(archive);
            double[] returns = new double[episodes];
            int[] lengths = new int[episodes];
            play(policy, environments.create(job.environment().id()), deterministic, seed, returns, lengths);
            Evaluation evaluation = new Evaluation(UUID.randomUUID(), jobId, checkpoint, deterministic, seed, returns,
                    lengths, text(returns), text(lengths), clock.instant());
            return evaluations.save(evaluation);
        } finally {
            running.release();
        }
    }

    List<Evaluation> list(UUID jobId, Caller caller) {
        jobs.checkAccess(jobId, caller);
        return evaluations.findByJobIdOrderByCreatedAtAsc(jobId);
    }

    private static void play(Policy policy, Environment env, boolean deterministic, long seed, double[] returns,
            int[] lengths) {
        Random sampling = new Random(seed);
        boolean masked = policy.maskSize() > 0;
        for (int episode = 0; episode < returns.length; episode++) {
            double[] observation = episode == 0 ? env.reset(seed) : env.reset();
            while (true) {
                boolean[] mask = masked ? env.actionMask() : null; // null: every action allowed
                boolean[][] masks = mask == null ? null : new boolean[][] {mask};
                double[] action = policy.act(new double[][] {observation}, masks, deterministic, sampling);
                StepResult step = env.step(action);
                returns[episode] += step.reward();
                lengths[episode]++;
                if (step.terminated() || step.truncated()) {
                    break;
                }
                observation = step.observation();
            }
        }
    }

    private String text(Object values) {
        try {
            return json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** External environments run in the user's runners: the service cannot play their episodes. */
    static class ExternalEnvironmentException extends ProblemException {
        ExternalEnvironmentException(UUID jobId) {
            super(HttpStatus.CONFLICT, "External environment", "job " + jobId + " trains an external environment, "
                    + "which only its runners can step; evaluate it where it runs (python -m proxima_client "
                    + "evaluate)");
        }
    }

    static class BusyException extends ProblemException {
        BusyException() {
            super(HttpStatus.TOO_MANY_REQUESTS, "Evaluations busy", RUNNING_AT_ONCE + " evaluations are running; "
                    + "retry later");
            retryLater();
        }
    }
}
