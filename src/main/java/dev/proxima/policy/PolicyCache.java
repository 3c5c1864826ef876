package dev.proxima.policy;

import dev.proxima.job.JobService;
import dev.proxima.job.JobStatus;
import dev.proxima.ppo.Policy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Loaded policies by job and checkpoint selector ({@code latest}, {@code best}, an iteration). A
 * finished job's checkpoints never change, so its policies are served from memory without
 * touching the database; for a running job, which checkpoint a selector names is looked up again
 * at most once per {@code proxima.policies.refresh-interval}. Selectors that name the same
 * checkpoint share one loaded policy.
 */
@Component
class PolicyCache {

    /** A loaded checkpoint; the policy is used under its own lock (DL4J networks are not thread-safe). */
    record LoadedPolicy(CheckpointInfo checkpoint, Policy policy) {
    }

    private record Key(UUID jobId, CheckpointSelector selector) {
    }

    private record Entry(LoadedPolicy policy, boolean jobFinished, long checkedAtNanos) {
    }

    private static final int MAX_ENTRIES = 32;
    /** How often a checkpoint deleted between finding it and reading it (retention, a restart) is looked up again. */
    private static final int LOAD_ATTEMPTS = 3;

    private final JobService jobs;
    private final CheckpointStore checkpoints;
    private final long refreshNanos;
    private final Map<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    PolicyCache(JobService jobs, CheckpointStore checkpoints,
            @Value("${proxima.policies.refresh-interval:1s}") Duration refresh) {
        this.jobs = jobs;
        this.checkpoints = checkpoints;
        this.refreshNanos = refresh.toNanos();
    }

    LoadedPolicy get(UUID jobId, CheckpointSelector selector) {
        Key key = new Key(jobId, selector);
        Entry cached = cached(key);
        if (cached != null && (cached.jobFinished() || System.nanoTime() - cached.checkedAtNanos() < refreshNanos)) {
            return cached.policy();
        }
        JobStatus status = jobs.status(jobId);
        LoadedPolicy policy = load(jobId, selector);
        synchronized (entries) {
            entries.put(key, new Entry(policy, status.isFinal(), System.nanoTime()));
        }
        return policy;
    }

    private LoadedPolicy load(UUID jobId, CheckpointSelector selector) {
        for (int attempt = 1; ; attempt++) {
            CheckpointInfo checkpoint = checkpoints.find(jobId, selector);
            LoadedPolicy loaded = loaded(checkpoint.id());
            if (loaded != null) {
                return loaded;
            }
            byte[] archive = checkpoints.archive(checkpoint);
            if (archive != null) {
                return new LoadedPolicy(checkpoint, Policy.forServing(archive));
            }
            if (attempt == LOAD_ATTEMPTS) {
                throw NoCheckpointException.noneYet(jobId);
            }
        }
    }

    /** The policy of this checkpoint if some selector has it loaded already. */
    private LoadedPolicy loaded(long checkpointId) {
        synchronized (entries) {
            for (Entry entry : entries.values()) {
                if (entry.policy().checkpoint().id() == checkpointId) {
                    return entry.policy();
                }
            }
        }
        return null;
    }

    private Entry cached(Key key) {
        synchronized (entries) {
            return entries.get(key);
        }
    }
}
