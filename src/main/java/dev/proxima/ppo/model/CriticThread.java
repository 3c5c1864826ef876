package dev.proxima.ppo.model;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Where the critic of {@link SeparateNetworks} trains: on an executor of its own, so that its
 * forward and backward passes overlap the actor's, or inline on the caller's thread. The two
 * networks share nothing, so the results are bit-identical either way.
 */
final class CriticThread {

    /** Null: inline. */
    private ExecutorService executor;

    void use(ExecutorService executor) {
        this.executor = executor;
    }

    <T> Future<T> submit(Callable<T> work) {
        if (executor == null) {
            try {
                return CompletableFuture.completedFuture(work.call());
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return executor.submit(work);
    }

    static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training the critic", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
