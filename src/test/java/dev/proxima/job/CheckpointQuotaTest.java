package dev.proxima.job;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** A running job's first checkpoint, measured: the job's share (checkpoints-kept + 1 of it) against both quotas. */
class CheckpointQuotaTest {

    private final UUID job = UUID.randomUUID();
    private final CheckpointWriter checkpoints = mock(CheckpointWriter.class);
    private final JobRepository jobs = mock(JobRepository.class);
    private final CheckpointQuota quota = new CheckpointQuota(checkpoints, jobs, DataSize.ofMegabytes(100),
            DataSize.ofMegabytes(300), 3);

    @Test
    void aJobsShareIsItsKeptCheckpointsAndTheBest() {
        when(jobs.findOwner(job)).thenReturn(Optional.of("alice"));
        assertThatCode(() -> quota.checkWritten(job, 25L << 20)).doesNotThrowAnyException();
        assertThatThrownBy(() -> quota.checkWritten(job, (25L << 20) + 1))
                .isInstanceOf(CheckpointQuota.ExceededException.class)
                .hasMessageContaining("proxima.quotas.checkpoint-bytes-per-job");
    }

    @Test
    void theOwnersOtherJobsCount() {
        when(jobs.findOwner(job)).thenReturn(Optional.of("alice"));
        when(checkpoints.storedBytes("alice", job)).thenReturn(250L << 20);
        assertThatCode(() -> quota.checkWritten(job, 12L << 20)).doesNotThrowAnyException();
        assertThatThrownBy(() -> quota.checkWritten(job, 13L << 20))
                .isInstanceOf(CheckpointQuota.ExceededException.class)
                .hasMessageContaining("owner alice").hasMessageContaining("proxima.quotas.checkpoint-bytes-per-owner");
    }

    @Test
    void aSubmissionIsRefusedWhenItsEstimateCannotFit() {
        assertThatThrownBy(() -> quota.checkRequest((25L << 20) + 1)).hasMessageContaining("checkpoint-bytes-per-job");
        when(checkpoints.storedBytes("bob", new UUID(0, 0))).thenReturn(290L << 20);
        assertThatThrownBy(() -> quota.checkOwner("bob", 3L << 20))
                .isInstanceOf(CheckpointQuota.OwnerQuotaException.class);
        assertThatCode(() -> quota.checkOwner("bob", 2L << 20)).doesNotThrowAnyException();
    }
}
