package dev.proxima.ppo.model;

import dev.proxima.ppo.config.PpoConfig;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/** SB3's default: an actor network (the policy head) and a critic network (V(s)), each with its own Adam. */
final class SeparateNetworks implements ActorCriticNetworks {

    private final Mlp actor;
    private final Mlp critic;
    private final CriticThread criticThread = new CriticThread();

    SeparateNetworks(Mlp actor, Mlp critic) {
        this.actor = actor;
        this.critic = critic;
    }

    @Override
    public int observationSize() {
        return actor.inputSize();
    }

    @Override
    public Mlp actor() {
        return actor;
    }

    @Override
    public float[] policyOutputs(float[] observations, int rows) {
        return actor.output(observations, rows);
    }

    @Override
    public float[][] policyOutputsWithLatent(float[] observations, int rows) {
        return actor.outputWithHidden(observations, rows);
    }

    @Override
    public float[] values(float[] observations, int rows) {
        return critic.output(observations, rows);
    }

    @Override
    public Outputs forward(float[] observations, int rows) {
        Future<float[]> values = criticThread.submit(() -> critic.forward(observations, rows));
        float[] policyOutputs = actor.forward(observations, rows);
        return new Outputs(policyOutputs, CriticThread.join(values));
    }

    @Override
    public float[] lastLatent() {
        return actor.lastHidden();
    }

    @Override
    public SquaredNorms backward(double[] policyOutputGradient, double[] valueGradient, int rows) {
        Future<Double> criticSquaredNorm = criticThread.submit(() -> critic.backward(valueGradient, rows));
        double actorSquaredNorm = actor.backward(policyOutputGradient, rows);
        return new SquaredNorms(actorSquaredNorm, CriticThread.join(criticSquaredNorm));
    }

    @Override
    public void step(double gradientScale) {
        Future<Void> criticStep = criticThread.submit(() -> {
            critic.step(gradientScale);
            return null;
        });
        actor.step(gradientScale);
        CriticThread.join(criticStep);
    }

    @Override
    public float[] forwardValues(float[] observations, int rows) {
        return critic.forward(observations, rows);
    }

    @Override
    public double stepValues(double[] valueGradient, int rows, double maxGradNorm) {
        double norm = Math.sqrt(critic.backward(valueGradient, rows));
        critic.step(ActorCriticNetworks.clipScale(norm, maxGradNorm));
        return norm;
    }

    @Override
    public void setLearningRates(PpoConfig.Optimizer optimizer, double scale) {
        actor.setLearningRate(optimizer.actorLearningRate() * scale);
        critic.setLearningRate(optimizer.criticLearningRate() * scale);
    }

    @Override
    public void rescaleValueHead(double scale, double shift) {
        critic.rescaleOutput(0, scale, shift);
    }

    @Override
    public boolean parametersFinite() {
        return actor.parametersFinite() && critic.parametersFinite();
    }

    @Override
    public void trainCriticOn(ExecutorService executor) {
        criticThread.use(executor);
    }

    @Override
    public byte[] criticBytes() {
        return critic.toBytes();
    }
}
