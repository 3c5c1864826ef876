package dev.proxima.vecenv;

import dev.proxima.env.EnvironmentSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A {@link VecEnv} whose copies are stepped elsewhere, by runners that poll over HTTP (the runner
 * protocol): each runner owns some of the slots; the trainer's {@link #step} publishes one action
 * per slot and waits until every slot has delivered its next observation. Actions and their
 * log-probabilities come from the trainer alone, so every sample is on-policy.
 *
 * <p>Rounds: round r's observations are what the trainer acts on at its r-th vector step. A
 * runner's call records its copies' data into the open round and waits (a bounded long poll) for
 * the actions of that round. A runner that leaves (detached, or its lease lost) cuts its copies'
 * episodes: the next runner on the slot starts a new episode, and the cut one counts as truncated
 * at its last observation, so the critic bootstraps it.
 *
 * <p>Thread-safe: one lock guards everything; the trainer and the HTTP threads wait on one condition.
 */
public final class ExternalVecEnv implements VecEnv {

    /** How long leases last, how long a step call waits for its actions, and how long a job waits without runners. */
    public record Settings(Duration lease, Duration poll, Duration abandonAfter) {
    }

    /** What a step call gets: its actions, or nothing yet (202, ask again). */
    public record Answer(long sequence, double[][] actions, int policyVersion) {
        public boolean ready() {
            return actions != null;
        }
    }

    /** One attached runner, as the job body shows it. */
    public record RunnerView(UUID runnerId, int numEnvs, long lastSeenEpochMillis) {
    }

    /** The data of one step call, already checked against the spaces by the caller. */
    public record Delivery(long sequence, double[][] observations, double[] rewards, boolean[] terminated,
            boolean[] truncated, double[][] finalObservations, boolean[][] actionMasks) {
    }

    /** The trainer waited longer than {@link Settings#abandonAfter} with no runner attached. */
    public static final class RunnersLostException extends RuntimeException {
        public RunnersLostException(Duration waited) {
            super("no runner attached for " + waited.toSeconds() + " s");
        }
    }

    /** The trainer's wait was given up because its stop condition became true (a cancel, a shutdown). */
    public static final class WaitAbortedException extends RuntimeException {
        public WaitAbortedException() {
            super("waiting for runners was aborted");
        }
    }

    /** Thrown to a runner's call: the environment is closed (the job ended, or its run stopped on this instance). */
    public static final class ClosedException extends RuntimeException {
        private final boolean finished;

        ClosedException(boolean finished) {
            super(finished ? "the job has finished" : "the job's run stopped on this instance");
            this.finished = finished;
        }

        public boolean finished() {
            return finished;
        }
    }

    /** A step's sequence is neither the next one nor a retry of the last one. */
    public static final class OutOfOrderException extends RuntimeException {
        OutOfOrderException(long expected, long got) {
            super("expected sequence " + expected + " (or a retry of " + (expected - 1) + "), got " + got);
        }
    }

    /** The runner id is not (or no longer) attached. */
    public static final class NotAttachedException extends RuntimeException {
        NotAttachedException(UUID runnerId) {
            super("runner " + runnerId + " is not attached (detached, lease lost, or the service restarted)");
        }
    }

    /** Fewer free slots than a runner asked for. */
    public static final class NoFreeSlotsException extends RuntimeException {
        NoFreeSlotsException(int asked, int free) {
            super("asked for " + asked + " environment copies, " + free + " free");
        }
    }

    private static final long WAKE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** How often a waiting trainer asks its stop condition (a database query): not on every step. */
    private static final long STOP_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final EnvironmentSpec spec;
    private final int size;
    private final boolean masked;
    private final Settings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    private final Map<UUID, Runner> runners = new LinkedHashMap<>();
    private final Runner[] owner;
    /** The open round's data per slot. */
    private final boolean[] delivered;
    private final double[][] observations;
    private final double[] rewards;
    private final boolean[] terminated;
    private final boolean[] truncated;
    private final double[][] finalObservations;
    private final boolean[][] masks;
    /** The observation each slot's latest action was chosen on: a cut episode's last observation. */
    private final double[][] actedObservations;
    /** The slot's episode was cut this round (its runner left): not a finished episode for the statistics. */
    private final boolean[] cutThisRound;
    private final double[] episodeReturns;
    private final int[] episodeLengths;

    private long openRound;
    /** The trainer has taken the open round's data and is choosing its actions. */
    private boolean consumed;
    private int policyVersion;
    private long noRunnersSince;
    private Boolean closedFinished;
    private BooleanSupplier stopWaiting = () -> false;
    private long stopCheckedAt;

    private static final class Runner {
        final UUID id;
        final int[] slots;
        long sequence = -1;
        long recordedRound = -1;
        Delivery pending;
        Answer answer;
        long lastSeen;
        int calls;

        Runner(UUID id, int[] slots, long now) {
            this.id = id;
            this.slots = slots;
            this.lastSeen = now;
        }
    }

    public ExternalVecEnv(EnvironmentSpec spec, int size, boolean masked, Settings settings) {
        if (size < 1) {
            throw new IllegalArgumentException("at least one environment copy is needed");
        }
        this.spec = spec;
        this.size = size;
        this.masked = masked;
        this.settings = settings;
        this.owner = new Runner[size];
        this.delivered = new boolean[size];
        this.observations = new double[size][];
        this.rewards = new double[size];
        this.terminated = new boolean[size];
        this.truncated = new boolean[size];
        this.finalObservations = new double[size][];
        this.masks = new boolean[size][];
        this.actedObservations = new double[size][];
        this.cutThisRound = new boolean[size];
        this.episodeReturns = new double[size];
        this.episodeLengths = new int[size];
        this.noRunnersSince = System.nanoTime();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public EnvironmentSpec spec() {
        return spec;
    }

    public Settings settings() {
        return settings;
    }

    /** Whether every step carries the copies' action masks. */
    public boolean actionMasksExpected() {
        return masked;
    }

    /** What the trainer's waits check: when it turns true, they throw {@link WaitAbortedException}. */
    public void stopWaitingWhen(BooleanSupplier condition) {
        lock.lock();
        try {
            this.stopWaiting = condition;
        } finally {
            lock.unlock();
        }
    }

    /** The number of PPO updates behind the actions from now on. */
    public void policyVersion(int version) {
        lock.lock();
        try {
            this.policyVersion = version;
        } finally {
            lock.unlock();
        }
    }

    // ---- the trainer's side ----

    /** Waits until every copy has sent its first observation; the runners seed their copies. */
    @Override
    public double[][] reset(long seed) {
        lock.lock();
        try {
            awaitOpenRound();
            consumed = true;
            return copyRows(observations);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean[][] actionMasks() {
        if (!masked) {
            return null;
        }
        lock.lock();
        try {
            return copyRows(masks);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public VecStep step(double[][] actions) {
        lock.lock();
        try {
            publish(actions);
            awaitOpenRound();
            consumed = true;
            List<Episode> finished = new ArrayList<>(0);
            double[][] finals = new double[size][];
            for (int s = 0; s < size; s++) {
                if (terminated[s] || truncated[s]) {
                    finals[s] = finalObservations[s];
                }
            }
            for (int s = 0; s < size; s++) {
                if ((terminated[s] || truncated[s]) && !cutThisRound[s]) {
                    finished.add(new Episode(episodeReturns[s], episodeLengths[s]));
                    episodeReturns[s] = 0;
                    episodeLengths[s] = 0;
                }
            }
            return new VecStep(copyRows(observations), rewards.clone(), terminated.clone(), truncated.clone(), finals,
                    finished);
        } finally {
            lock.unlock();
        }
    }

    private void publish(double[][] actions) {
        for (Runner runner : runners.values()) {
            if (runner.recordedRound == openRound && runner.answer == null) {
                double[][] own = new double[runner.slots.length][];
                for (int i = 0; i < own.length; i++) {
                    own[i] = actions[runner.slots[i]].clone();
                }
                runner.answer = new Answer(runner.sequence, own, policyVersion);
            }
        }
        for (int s = 0; s < size; s++) {
            actedObservations[s] = observations[s];
            delivered[s] = false;
            rewards[s] = 0;
            terminated[s] = false;
            truncated[s] = false;
            finalObservations[s] = null;
            cutThisRound[s] = false;
        }
        openRound++;
        consumed = false;
        changed.signalAll();
    }

    private void awaitOpenRound() {
        boolean waited = false;
        while (!allDelivered()) {
            if (closedFinished != null) {
                throw new WaitAbortedException();
            }
            long now = System.nanoTime();
            expireLeases(now);
            if (runners.isEmpty() && now - noRunnersSince > settings.abandonAfter().toNanos()) {
                throw new RunnersLostException(settings.abandonAfter());
            }
            if (waited && now - stopCheckedAt > STOP_CHECK_NANOS) {
                stopCheckedAt = now;
                // the stop condition may query a database: asked without the lock held
                lock.unlock();
                boolean stop;
                try {
                    stop = stopWaiting.getAsBoolean();
                } finally {
                    lock.lock();
                }
                if (stop) {
                    throw new WaitAbortedException();
                }
            }
            waited = true;
            if (!allDelivered()) {
                try {
                    changed.awaitNanos(WAKE_NANOS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new WaitAbortedException();
                }
            }
        }
    }

    private boolean allDelivered() {
        for (boolean d : delivered) {
            if (!d) {
                return false;
            }
        }
        return true;
    }

    // ---- the runners' side ----

    /** Attaches a runner to {@code numEnvs} free slots; returns their indices (the copies' seeds are offset by them). */
    public int[] attach(UUID runnerId, int numEnvs) {
        lock.lock();
        try {
            ensureOpen();
            expireLeases(System.nanoTime());
            List<Integer> free = new ArrayList<>();
            for (int s = 0; s < size && free.size() < numEnvs; s++) {
                if (owner[s] == null) {
                    free.add(s);
                }
            }
            if (free.size() < numEnvs) {
                throw new NoFreeSlotsException(numEnvs, freeSlots());
            }
            int[] slots = free.stream().mapToInt(Integer::intValue).toArray();
            Runner runner = new Runner(runnerId, slots, System.nanoTime());
            for (int s : slots) {
                owner[s] = runner;
            }
            runners.put(runnerId, runner);
            return slots.clone();
        } finally {
            lock.unlock();
        }
    }

    /** Detaches a runner: its copies' episodes are cut, its slots free. */
    public void detach(UUID runnerId) {
        lock.lock();
        try {
            Runner runner = runners.get(runnerId);
            if (runner == null) {
                throw new NotAttachedException(runnerId);
            }
            remove(runner);
        } finally {
            lock.unlock();
        }
    }

    public int slotsOf(UUID runnerId) {
        lock.lock();
        try {
            Runner runner = runners.get(runnerId);
            if (runner == null) {
                throw new NotAttachedException(runnerId);
            }
            return runner.slots.length;
        } finally {
            lock.unlock();
        }
    }

    public int freeSlots() {
        lock.lock();
        try {
            int free = 0;
            for (Runner r : owner) {
                if (r == null) {
                    free++;
                }
            }
            return free;
        } finally {
            lock.unlock();
        }
    }

    public List<RunnerView> runners(long epochMillisNow) {
        lock.lock();
        try {
            long now = System.nanoTime();
            return runners.values().stream()
                    .map(r -> new RunnerView(r.id, r.slots.length,
                            epochMillisNow - TimeUnit.NANOSECONDS.toMillis(now - r.lastSeen)))
                    .toList();
        } finally {
            lock.unlock();
        }
    }

    /**
     * One step call of a runner: records its data once per sequence and waits up to
     * {@link Settings#poll} for the actions. A retry (the same sequence) records nothing again
     * and gets the same actions.
     *
     * @return the actions, or an answer that is not {@link Answer#ready()} when the poll ran out
     */
    public Answer step(UUID runnerId, Delivery delivery) {
        lock.lock();
        Runner runner = null;
        try {
            ensureOpen();
            runner = runners.get(runnerId);
            if (runner == null) {
                throw new NotAttachedException(runnerId);
            }
            runner.calls++;
            runner.lastSeen = System.nanoTime();
            long sequence = delivery.sequence();
            if (sequence != runner.sequence) {
                boolean next = sequence == runner.sequence + 1 && (runner.sequence < 0 || runner.answer != null);
                if (!next) {
                    throw new OutOfOrderException(runner.sequence + 1, sequence);
                }
                runner.sequence = sequence;
                runner.pending = delivery;
                runner.recordedRound = -1;
                runner.answer = null;
            }
            long deadline = System.nanoTime() + settings.poll().toNanos();
            while (true) {
                if (runner.recordedRound < 0) {
                    tryRecord(runner);
                }
                if (runner.answer != null) {
                    return runner.answer;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Answer(sequence, null, policyVersion);
                }
                try {
                    changed.awaitNanos(Math.min(left, WAKE_NANOS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Answer(sequence, null, policyVersion);
                }
                ensureOpen();
                if (runners.get(runnerId) != runner) {
                    throw new NotAttachedException(runnerId);
                }
            }
        } finally {
            if (runner != null) {
                runner.calls--;
                runner.lastSeen = System.nanoTime();
            }
            lock.unlock();
        }
    }

    /** Records a runner's pending delivery into the open round, unless the trainer already took it. */
    private void tryRecord(Runner runner) {
        Delivery d = runner.pending;
        boolean first = d.sequence() == 0;
        for (int s : runner.slots) {
            if (delivered[s] && consumed) {
                // a departed runner's data is in the round the trainer is acting on: wait for the next
                return;
            }
        }
        for (int i = 0; i < runner.slots.length; i++) {
            int s = runner.slots[i];
            if (first) {
                startEpisode(s, d.observations()[i]);
            } else {
                rewards[s] = d.rewards()[i];
                terminated[s] = d.terminated()[i];
                truncated[s] = d.truncated()[i] && !d.terminated()[i];
                finalObservations[s] = d.finalObservations()[i];
                observations[s] = d.observations()[i];
                episodeReturns[s] += rewards[s];
                episodeLengths[s]++;
            }
            masks[s] = d.actionMasks() == null ? null : d.actionMasks()[i];
            delivered[s] = true;
        }
        runner.recordedRound = openRound;
        changed.signalAll();
    }

    /** A runner's first observation on a slot: a new episode, cutting the one a departed runner left. */
    private void startEpisode(int s, double[] observation) {
        if (delivered[s]) {
            // the departed runner's data for this round stays (its reward is real); its episode ends here
            if (!terminated[s] && !truncated[s]) {
                truncated[s] = true;
                finalObservations[s] = observations[s];
                cut(s);
            }
        } else if (openRound > 0 && actedObservations[s] != null) {
            // an action was taken on this slot and never answered: cut the episode at its observation
            rewards[s] = 0;
            terminated[s] = false;
            truncated[s] = true;
            finalObservations[s] = actedObservations[s];
            cut(s);
        }
        observations[s] = observation;
    }

    private void cut(int s) {
        cutThisRound[s] = true;
        episodeReturns[s] = 0;
        episodeLengths[s] = 0;
    }

    private void expireLeases(long now) {
        long lease = settings.lease().toNanos();
        for (Runner runner : List.copyOf(runners.values())) {
            if (runner.calls == 0 && now - runner.lastSeen > lease) {
                remove(runner);
            }
        }
    }

    private void remove(Runner runner) {
        runners.remove(runner.id);
        for (int s : runner.slots) {
            owner[s] = null;
        }
        if (runners.isEmpty()) {
            noRunnersSince = System.nanoTime();
        }
        changed.signalAll();
    }

    /**
     * Ends the environment: waiting runners get a {@link ClosedException}, finished telling a job
     * that ended (410) from a run stopped on this instance (try again).
     */
    public void close(boolean finished) {
        lock.lock();
        try {
            if (closedFinished == null) {
                closedFinished = finished;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean closed() {
        lock.lock();
        try {
            return closedFinished != null;
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen() {
        if (closedFinished != null) {
            throw new ClosedException(closedFinished);
        }
    }

    private static double[][] copyRows(double[][] rows) {
        return Arrays.stream(rows).map(row -> row == null ? null : row.clone()).toArray(double[][]::new);
    }

    private static boolean[][] copyRows(boolean[][] rows) {
        boolean[][] copy = new boolean[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            copy[i] = rows[i] == null ? null : rows[i].clone();
        }
        return copy;
    }
}
