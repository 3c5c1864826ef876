package dev.proxima.policy;

import dev.proxima.job.JobService;
import dev.proxima.job.JobStatus;
import dev.proxima.ppo.Policy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Loaded policies by job. A finished job's latest checkpoint never changes, so it is served
 * from memory without touching the database; a running job's is looked up again at most once
 * per {@code proxima.policies.refresh-interval}.
 */
@Component
class PolicyCache {

    /** A loaded checkpoint; the policy is used under its own lock (DL4J networks are not thread-safe). */
    record LoadedPolicy(CheckpointInfo checkpoint, Policy policy) {
    }

    private record Entry(LoadedPolicy policy, boolean jobFinished, long checkedAtNanos) {
    }

    private static final int MAX_ENTRIES = 32;

    private final JobService jobs;
    private final CheckpointStore checkpoints;
    private final long refreshNanos;
    private final Map<UUID, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    PolicyCache(JobService jobs, CheckpointStore checkpoints,
            @Value("${proxima.policies.refresh-interval:1s}") java.time.Duration refresh) {
        this.jobs = jobs;
        this.checkpoints = checkpoints;
        this.refreshNanos = refresh.toNanos();
    }

    LoadedPolicy latest(UUID jobId) {
        Entry cached = cached(jobId);
        if (cached != null && (cached.jobFinished() || System.nanoTime() - cached.checkedAtNanos() < refreshNanos)) {
            return cached.policy();
        }
        JobStatus status = jobs.status(jobId);
        CheckpointInfo latest = checkpoints.latest(jobId).orElseThrow(() -> new NoCheckpointException(jobId));
        LoadedPolicy policy = cached != null && cached.policy().checkpoint().id() == latest.id()
                ? cached.policy()
                : new LoadedPolicy(latest, Policy.forServing(archive(jobId, latest)));
        synchronized (entries) {
            entries.put(jobId, new Entry(policy, status.isFinal(), System.nanoTime()));
        }
        return policy;
    }

    private byte[] archive(UUID jobId, CheckpointInfo checkpoint) {
        byte[] archive = checkpoints.archive(checkpoint);
        if (archive == null) {
            // deleted in between: the job restarted from scratch
            throw new NoCheckpointException(jobId);
        }
        return archive;
    }

    private Entry cached(UUID jobId) {
        synchronized (entries) {
            return entries.get(jobId);
        }
    }
}
