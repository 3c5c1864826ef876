package dev.proxima.job;

import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.env.VectorEnv;
import dev.proxima.ppo.IterationReport;
import dev.proxima.ppo.PpoTrainer;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Trains one job to its end: PPO iterations, metrics and checkpoints per iteration, final status. */
@Component
class TrainingRunner {

    private static final Logger log = LoggerFactory.getLogger(TrainingRunner.class);

    private final JobProgress progress;
    private final CheckpointWriter checkpoints;
    private final EnvironmentRegistry environments;
    private final Duration checkpointInterval;

    TrainingRunner(JobProgress progress, CheckpointWriter checkpoints, EnvironmentRegistry environments,
            @Value("${proxima.jobs.checkpoint-interval:60s}") Duration checkpointInterval) {
        this.progress = progress;
        this.checkpoints = checkpoints;
        this.environments = environments;
        this.checkpointInterval = checkpointInterval;
    }

    /** Thrown to hand the job back to the scheduler's queue when the instance shuts down. */
    static class Interrupted extends RuntimeException {
        Interrupted(UUID id) {
            super("job " + id + " interrupted by shutdown; requeued");
        }
    }

    void run(UUID id, BooleanSupplier shuttingDown) {
        JobRequest request = progress.begin(id).orElse(null);
        if (request == null) {
            return;
        }
        log.info("job {} starts: {} x{} for {} steps", id, request.environment().id(), request.environment().numEnvs(),
                request.totalTimesteps());
        Run run = new Run(id, request, shuttingDown);
        try {
            VectorEnv env = VectorEnv.of(environments, request.environment().id(), request.environment().numEnvs());
            PpoTrainer trainer = new PpoTrainer(request.hyperparameters(), env, request.seed());
            trainer.learn(request.totalTimesteps(), run::onIteration);
            run.checkpointLast();
            if (run.interrupted) {
                progress.requeue(id);
                throw new Interrupted(id);
            }
            progress.finish(id, run.cancelled ? JobStatus.CANCELLED : JobStatus.SUCCEEDED, null);
            log.info("job {} ends {} after {} iterations", id, run.cancelled ? "cancelled" : "succeeded", run.iteration);
        } catch (Interrupted e) {
            throw e;
        } catch (RuntimeException | Error e) {
            if (shuttingDown.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                // db-scheduler interrupts what is still running when its shutdown wait is over
                progress.requeue(id);
                throw new Interrupted(id);
            }
            log.warn("job {} failed", id, e);
            progress.finish(id, JobStatus.FAILED, describe(e));
        }
    }

    private static String describe(Throwable e) {
        String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return message.length() > 4000 ? message.substring(0, 4000) : message;
    }

    /** The per-iteration bookkeeping of one run. */
    private final class Run {
        private final UUID id;
        private final JobRequest request;
        private final BooleanSupplier shuttingDown;
        private final CheckpointSchedule schedule;
        private IterationReport last;
        private int iteration;
        private int checkpointedIteration = -1;
        private boolean cancelled;
        private boolean interrupted;

        Run(UUID id, JobRequest request, BooleanSupplier shuttingDown) {
            this.id = id;
            this.request = request;
            this.shuttingDown = shuttingDown;
            this.schedule = new CheckpointSchedule(request.checkpointEvery(), checkpointInterval);
        }

        boolean onIteration(IterationReport report) {
            last = report;
            iteration = report.iteration();
            progress.record(id, report);
            boolean solved = reachedStopCondition(report);
            if (schedule.due(report.iteration(), System.nanoTime())) {
                checkpoint(report);
            }
            cancelled = progress.cancelRequested(id);
            boolean finished = solved || report.timesteps() >= request.totalTimesteps();
            interrupted = !cancelled && !finished && shuttingDown.getAsBoolean();
            return !(solved || cancelled || interrupted);
        }

        private boolean reachedStopCondition(IterationReport report) {
            JobRequest.StopWhen stopWhen = request.stopWhen();
            Double target = stopWhen == null ? null : stopWhen.episodeReturnMean();
            Double reached = report.episodeReturnMean();
            return target != null && reached != null && reached >= target;
        }

        void checkpointLast() {
            if (last != null && checkpointedIteration != last.iteration()) {
                checkpoint(last);
            }
        }

        private void checkpoint(IterationReport report) {
            checkpoints.write(id, report.iteration(), report.timesteps(), report.episodeReturnMean(),
                    report.policy().toArchive());
            checkpointedIteration = report.iteration();
            schedule.written(System.nanoTime());
        }
    }
}
