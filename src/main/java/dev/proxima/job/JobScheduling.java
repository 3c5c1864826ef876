package dev.proxima.job;

import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Jobs are db-scheduler one-time tasks: the scheduler claims each in the database (one
 * instance runs it), heartbeats it while it trains and revives it if its instance dies.
 */
@Configuration
class JobScheduling {

    static final TaskDescriptor<String> TRAIN = TaskDescriptor.of("train-job", String.class);

    @Bean
    OneTimeTask<String> trainingTask(TrainingRunner runner) {
        return Tasks.oneTime(TRAIN)
                // A run interrupted by shutdown goes back in the queue at once.
                .onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(1)))
                .execute((instance, context) -> runner.run(UUID.fromString(instance.getData()),
                        () -> context.getSchedulerState().isShuttingDown()));
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
