package dev.proxima.job;

import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.ppo.IterationReport;
import dev.proxima.ppo.PpoTrainer;
import dev.proxima.ppo.TrainingDivergedException;
import dev.proxima.vecenv.ExternalVecEnv;
import dev.proxima.vecenv.SyncVecEnv;
import dev.proxima.vecenv.VecEnv;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Trains one job to its end: PPO iterations, metrics and checkpoints per iteration (written by a
 * {@link ProgressWriter} beside the training thread), final status.
 */
@Component
class TrainingRunner {

    private static final Logger log = LoggerFactory.getLogger(TrainingRunner.class);

    private final JobProgress progress;
    private final CheckpointWriter checkpoints;
    private final EnvironmentRegistry environments;
    private final ExternalEnvironments externalEnvironments;
    private final Duration checkpointInterval;
    private final boolean criticThread;
    private final CheckpointQuota quota;
    private final JobMeters meters;

    TrainingRunner(JobProgress progress, CheckpointWriter checkpoints, CheckpointQuota quota, JobMeters meters,
            EnvironmentRegistry environments, ExternalEnvironments externalEnvironments,
            @Value("${proxima.jobs.checkpoint-interval:60s}") Duration checkpointInterval,
            @Value("${proxima.jobs.training-threads:1}") int trainingThreads) {
        if (trainingThreads != 1 && trainingThreads != 2) {
            throw new IllegalArgumentException("proxima.jobs.training-threads must be 1 or 2, was " + trainingThreads);
        }
        this.criticThread = trainingThreads == 2;
        this.progress = progress;
        this.externalEnvironments = externalEnvironments;
        this.checkpoints = checkpoints;
        this.environments = environments;
        this.checkpointInterval = checkpointInterval;
        this.quota = quota;
        this.meters = meters;
    }

    /** Thrown to hand the job back to the scheduler's queue when the instance shuts down. */
    static class Interrupted extends RuntimeException {
        Interrupted(UUID id) {
            super("job " + id + " interrupted by shutdown; requeued");
        }
    }

    /** Trains the job; every line logged meanwhile carries its id (MDC key {@value #MDC_JOB_ID}). */
    void run(UUID id, BooleanSupplier shuttingDown) {
        try (MDC.MDCCloseable job = MDC.putCloseable(MDC_JOB_ID, id.toString())) {
            train(id, shuttingDown);
        }
    }

    static final String MDC_JOB_ID = "jobId";

    private void train(UUID id, BooleanSupplier shuttingDown) {
        JobProgress.Start start = progress.begin(id).orElse(null);
        if (start == null) {
            return;
        }
        JobRequest request = start.request();
        CheckpointWriter.Stored checkpoint = start.checkpoint();
        boolean external = request.environment().isExternal();
        String environmentName = external ? ExternalEnvironment.ID : request.environment().id();
        if (checkpoint == null) {
            log.info("job {} starts: {} x{} for {} steps", id, environmentName,
                    request.environment().numEnvs(), request.totalTimesteps());
        } else {
            log.info("job {} resumes from iteration {}: {} x{} for {} steps", id, checkpoint.iteration(),
                    environmentName, request.environment().numEnvs(), request.totalTimesteps());
        }
        ProgressWriter writer = new ProgressWriter(id, progress, checkpoints, meters);
        Run run = new Run(id, request, shuttingDown, checkpoint, writer);
        boolean finished = true;
        try {
            VecEnv env;
            if (external) {
                ExternalVecEnv remote = externalEnvironments.open(id, request);
                remote.policyVersion(checkpoint == null ? 0 : checkpoint.iteration());
                remote.stopWaitingWhen(() -> shuttingDown.getAsBoolean() || progress.cancelRequested(id));
                run.external = remote;
                env = remote;
            } else {
                Double rewardScale = request.environment().rewardScale();
                env = SyncVecEnv.of(environments, request.environment().id(), request.environment().numEnvs(),
                        rewardScale == null ? 1.0 : rewardScale);
            }
            PpoTrainer trainer = checkpoint == null
                    ? new PpoTrainer(request.hyperparameters().toConfig(), env, request.seed(), criticThread)
                    : PpoTrainer.resume(request.hyperparameters().toConfig(), env, request.seed(),
                            checkpoint.archive(), criticThread);
            trainer.learn(request.totalTimesteps(), run::onIteration, () -> run.mustStopNow(trainer));
            if (trainer.stoppedWithinIteration()) {
                // the model and the normalisers hold part of the unfinished iteration: no checkpoint
                // of them; the last one written stands (the next iteration's start, if it resumes)
                run.stoppedWithinIteration(trainer);
            } else {
                run.checkpointLast();
            }
            writer.flush();
            if (run.interrupted) {
                finished = false;
                progress.requeue(id);
                throw new Interrupted(id);
            }
            closeExternal(id, external);
            if (run.cancelled) {
                progress.finish(id, JobStatus.CANCELLED, StopReason.CANCELLED, null);
            } else {
                progress.finish(id, JobStatus.SUCCEEDED, run.stopReason, null);
            }
            log.info("job {} ends {} after {} iterations", id, run.cancelled ? "cancelled" : run.stopReason,
                    run.iteration);
        } catch (Interrupted e) {
            throw e;
        } catch (RuntimeException | Error e) {
            // db-scheduler interrupts what is still running when its shutdown wait is over
            boolean stopping = shuttingDown.getAsBoolean() || Thread.currentThread().isInterrupted();
            boolean cancelledWhileWaiting = !stopping && e instanceof ExternalVecEnv.WaitAbortedException
                    && progress.cancelRequested(id);
            if (cancelledWhileWaiting || (!stopping && e instanceof ExternalVecEnv.RunnersLostException)) {
                // the last whole iteration's checkpoint stays servable
                run.checkpointLast();
            }
            run.flushQuietly();
            if (stopping) {
                finished = false;
                progress.requeue(id);
                throw new Interrupted(id);
            }
            closeExternal(id, external);
            if (cancelledWhileWaiting) {
                progress.finish(id, JobStatus.CANCELLED, StopReason.CANCELLED, null);
                log.info("job {} cancelled while waiting for runners, after {} iterations", id, run.iteration);
            } else if (e instanceof ExternalVecEnv.RunnersLostException lost) {
                log.warn("job {} failed: {}", id, lost.getMessage());
                progress.finish(id, JobStatus.FAILED, StopReason.RUNNERS_LOST, lost.getMessage()
                        + " (proxima.runners.abandon-after); its checkpoints stay servable");
            } else if (e instanceof CheckpointQuota.ExceededException overQuota) {
                log.warn("job {} failed: {}", id, overQuota.getMessage());
                progress.finish(id, JobStatus.FAILED, StopReason.ERROR, overQuota.getMessage());
            } else if (e instanceof TrainingDivergedException diverged) {
                log.warn("job {} diverged: {}", id, diverged.getMessage());
                progress.finish(id, JobStatus.FAILED, StopReason.DIVERGED, run.diverged(diverged));
            } else {
                log.warn("job {} failed", id, e);
                progress.finish(id, JobStatus.FAILED, StopReason.ERROR, describe(e));
            }
        } finally {
            writer.close();
            if (external) {
                // runners of a job that ended get 410; those of a run stopped here (a shutdown) try again
                externalEnvironments.close(id, finished);
            }
        }
    }

    /**
     * Ends an external job's runner protocol before its final status is written: a runner that
     * sees the job finished then also gets 409/410, never a fresh attachment.
     */
    private void closeExternal(UUID id, boolean external) {
        if (external) {
            externalEnvironments.close(id, true);
        }
    }

    private static String describe(Throwable e) {
        String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return message.length() > 4000 ? message.substring(0, 4000) : message;
    }

    /** How long an iteration may go on after a stop was asked for before it is cut off. */
    static final double STOP_GRACE_SECONDS = 1.0;

    /** The per-iteration bookkeeping of one run. */
    private final class Run {
        private final UUID id;
        private final BooleanSupplier shuttingDown;
        private final CheckpointSchedule schedule;
        private final StopCondition stopCondition;
        private IterationReport last;
        private int iteration;
        private int checkpointedIteration = -1;
        private StopReason stopReason = StopReason.TOTAL_TIMESTEPS;
        private boolean cancelled;
        private boolean interrupted;
        /** Whether the last check inside an iteration found stopWhen.maxRuntimeSeconds reached. */
        private boolean overRuntime;
        private ExternalVecEnv external;
        private final ProgressWriter writer;
        /** Whether this run's first checkpoint was measured against the quotas, and whether it exceeded them. */
        private boolean quotaChecked;
        private boolean overQuota;

        /** For the meters: the environment's name, and where the last iteration ended. */
        private final String environmentName;
        private long lastTimesteps;
        private long lastIterationEndedNanos = System.nanoTime();

        Run(UUID id, JobRequest request, BooleanSupplier shuttingDown, CheckpointWriter.Stored resumedFrom,
                ProgressWriter writer) {
            this.id = id;
            this.environmentName = request.environment().isExternal() ? ExternalEnvironment.ID
                    : request.environment().id();
            this.lastTimesteps = resumedFrom == null ? 0 : resumedFrom.timesteps();
            int resumedAt = resumedFrom == null ? -1 : resumedFrom.iteration();
            this.writer = writer;
            this.checkpointedIteration = resumedAt;
            this.shuttingDown = shuttingDown;
            this.schedule = new CheckpointSchedule(request.checkpointEvery(), checkpointInterval);
            this.stopCondition = new StopCondition(request);
        }

        boolean onIteration(IterationReport report) {
            long now = System.nanoTime();
            meters.iteration(environmentName, report.timesteps() - lastTimesteps,
                    Duration.ofNanos(now - lastIterationEndedNanos));
            lastTimesteps = report.timesteps();
            lastIterationEndedNanos = now;
            last = report;
            iteration = report.iteration();
            if (external != null) {
                external.policyVersion(report.iteration());
            }
            writer.record(report);
            StopReason reached = stopCondition.reached(report);
            if (reached != null) {
                stopReason = reached;
            }
            if (schedule.due(report.iteration(), System.nanoTime())) {
                checkpoint(report);
            }
            cancelled = writer.cancelRequested();
            interrupted = !cancelled && reached == null && shuttingDown.getAsBoolean();
            return !(reached != null || cancelled || interrupted);
        }

        /**
         * Checked inside an iteration (every environment step and minibatch): a cancel, a
         * shutdown or maxRuntimeSeconds cannot wait for the end of an iteration whose length the
         * request chose. An iteration shorter than {@link #STOP_GRACE_SECONDS} is let finish
         * (and checkpointed at its end); a longer one is cut off, and only the last checkpoint
         * written stands.
         */
        boolean mustStopNow(PpoTrainer trainer) {
            if (trainer.secondsIntoIteration() < STOP_GRACE_SECONDS) {
                return false;
            }
            overRuntime = stopCondition.overRuntime(trainer.elapsedSeconds());
            return writer.cancelRequested() || shuttingDown.getAsBoolean() || overRuntime;
        }

        /** Why the trainer stopped inside an iteration; that iteration is dropped, the last whole one stays. */
        void stoppedWithinIteration(PpoTrainer trainer) {
            cancelled = writer.cancelRequested();
            if (!cancelled && overRuntime) {
                stopReason = StopReason.MAX_RUNTIME_SECONDS;
            } else if (!cancelled) {
                interrupted = shuttingDown.getAsBoolean();
            }
        }

        void checkpointLast() {
            if (last != null && checkpointedIteration != last.iteration()) {
                checkpoint(last);
            }
        }

        /** Writes what is queued on the way to a failed end; a write that fails too is only logged. */
        void flushQuietly() {
            try {
                writer.flush();
            } catch (RuntimeException e) {
                log.warn("job {}: its last progress could not be written", id, e);
            }
        }

        private void checkpoint(IterationReport report) {
            if (overQuota) {
                return;
            }
            byte[] archive = report.policy().toArchive();
            if (!quotaChecked) {
                quotaChecked = true;
                try {
                    quota.checkWritten(id, archive.length);
                } catch (CheckpointQuota.ExceededException e) {
                    overQuota = true;
                    throw e;
                }
            }
            writer.checkpoint(report.iteration(), report.timesteps(), report.episodeReturnMean(), archive);
            checkpointedIteration = report.iteration();
            schedule.written(System.nanoTime());
        }

        /** The error of a diverged run: what went non-finite and when, and which checkpoint is left to serve. */
        String diverged(TrainingDivergedException e) {
            String kept = checkpointedIteration < 0
                    ? "no checkpoint was written before it"
                    : "the checkpoint of iteration " + checkpointedIteration + " is the last good one and stays servable";
            return "training diverged: " + e.getMessage() + "; " + kept;
        }
    }
}
