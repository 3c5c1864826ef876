package dev.proxima.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.proxima.job.JobDeleted;
import dev.proxima.job.JobService;
import dev.proxima.job.JobStatus;
import dev.proxima.ppo.Policy;
import java.time.Duration;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Loaded policies by job and checkpoint selector ({@code latest}, {@code best}, an iteration). A
 * finished job's checkpoints never change, so its policies are served from memory, and only
 * whether the job still exists (it may be deleted) is read again, at most once per
 * {@code proxima.policies.refresh-interval}; for a running job, which checkpoint a selector names
 * is looked up again as often. Selectors that name the same
 * checkpoint share one loaded policy. At most {@value #MAX_ENTRIES} entries are kept (Caffeine's
 * size-based eviction).
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
    private final Cache<Key, Entry> entries = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).build();

    PolicyCache(JobService jobs, CheckpointStore checkpoints,
            @Value("${proxima.policies.refresh-interval:1s}") Duration refresh) {
        this.jobs = jobs;
        this.checkpoints = checkpoints;
        this.refreshNanos = refresh.toNanos();
    }

    LoadedPolicy get(UUID jobId, CheckpointSelector selector) {
        Key key = new Key(jobId, selector);
        Entry cached = entries.getIfPresent(key);
        if (cached != null && System.nanoTime() - cached.checkedAtNanos() < refreshNanos) {
            return cached.policy();
        }
        // a 404 once the job is deleted (on any instance)
        JobStatus status = jobs.status(jobId);
        if (cached != null && cached.jobFinished()) {
            entries.put(key, new Entry(cached.policy(), true, System.nanoTime()));
            return cached.policy();
        }
        LoadedPolicy policy = load(jobId, selector);
        entries.put(key, new Entry(policy, status.isFinal(), System.nanoTime()));
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

    /** A deleted job's policies stop answering here once the deletion is committed. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void jobDeleted(JobDeleted deleted) {
        entries.asMap().keySet().removeIf(key -> key.jobId().equals(deleted.jobId()));
    }

    /** The policy of this checkpoint if some selector has it loaded already. */
    private LoadedPolicy loaded(long checkpointId) {
        return entries.asMap().values().stream()
                .map(Entry::policy)
                .filter(policy -> policy.checkpoint().id() == checkpointId)
                .findFirst()
                .orElse(null);
    }
}
