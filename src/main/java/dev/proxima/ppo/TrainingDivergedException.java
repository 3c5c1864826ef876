package dev.proxima.ppo;

/** Training produced a non-finite quantity; the model is no longer usable past its last checkpoint. */
public class TrainingDivergedException extends RuntimeException {

    public TrainingDivergedException(int iteration, String quantity, double value) {
        super("non-finite " + quantity + " (" + value + ") in iteration " + iteration);
    }
}
