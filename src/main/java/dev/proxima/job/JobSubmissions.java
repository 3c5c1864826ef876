package dev.proxima.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * POST /api/jobs: validates a request and queues it, honouring an Idempotency-Key. A retry with
 * the key of an earlier submission gets that submission's job back, however the retries race: the
 * job table's unique index on the key lets one insert win, and the others return its job.
 */
@Component
public class JobSubmissions {

    private static final Logger log = LoggerFactory.getLogger(JobSubmissions.class);

    private final JobRequests requests;
    private final JobQueue queue;
    private final JobRepository jobs;
    private final JobService service;
    private final ObjectMapper json;
    private final CheckpointQuota checkpointQuota;

    JobSubmissions(JobRequests requests, JobQueue queue, JobRepository jobs, JobService service, ObjectMapper json,
            CheckpointQuota checkpointQuota) {
        this.checkpointQuota = checkpointQuota;
        this.service = service;
        this.requests = requests;
        this.queue = queue;
        this.jobs = jobs;
        this.json = json;
    }

    /**
     * @param idempotencyKey the Idempotency-Key header, or null
     * @throws IdempotencyKeyReusedException when the key came with a different request before
     * @throws QueueFullException when the queue is full (a retry of a queued submission is not refused)
     */
    public SubmittedJob submit(JobRequest submitted, String idempotencyKey, String owner) {
        IdempotencyKey key = IdempotencyKey.of(idempotencyKey, canonicalJson(submitted));
        if (key != null) {
            Optional<SubmittedJob> earlier = replay(key, owner);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        JobRequest effective = requests.effective(submitted);
        checkpointQuota.checkOwner(owner, requests.checkpointBytes(effective));
        return enqueueOrReplay(effective, key, owner);
    }

    /** Queues the job; when a concurrent submission stored the same key first, returns that one's job. */
    SubmittedJob enqueueOrReplay(JobRequest request, IdempotencyKey key, String owner) {
        RunnerTokens.Token token = request.environment().isExternal() ? RunnerTokens.generate() : null;
        try {
            TrainingJob job = queue.enqueue(request, key, token == null ? null : token.hash(), owner);
            return new SubmittedJob(service.response(job, token == null ? null : token.value()), false);
        } catch (DataIntegrityViolationException e) {
            Optional<SubmittedJob> winner = key == null ? Optional.empty() : replay(key, owner);
            if (winner.isEmpty()) {
                throw e;
            }
            log.debug("a concurrent submission with Idempotency-Key '{}' stored its job first", key.value());
            return winner.get();
        }
    }

    private Optional<SubmittedJob> replay(IdempotencyKey key, String owner) {
        return jobs.findByOwnerAndIdempotencyKey(owner, key.value()).map(job -> {
            if (!key.requestFingerprint().equals(job.getRequestFingerprint())) {
                throw new IdempotencyKeyReusedException(key.value(), job.getId());
            }
            return new SubmittedJob(service.response(job, null), true);
        });
    }

    /** The request as JSON, the same however the client spelt it (whitespace, field order). */
    String canonicalJson(JobRequest submitted) {
        try {
            return json.writeValueAsString(submitted);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
