package dev.proxima.ppo;

/** Told about every finished iteration; decides whether training goes on. */
@FunctionalInterface
public interface TrainingListener {

    /** @return false to stop training after this iteration */
    boolean onIteration(IterationReport report);
}
