package dev.proxima.ppo.model;

import dev.proxima.env.Space;
import dev.proxima.ppo.config.LogStd;
import dev.proxima.ppo.config.NetworkConfig;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.ppo.distribution.ActionDistribution;
import dev.proxima.ppo.distribution.ActionDistributions;
import dev.proxima.ppo.distribution.DiagGaussian;
import dev.proxima.ppo.distribution.GaussianParameters;
import dev.proxima.ppo.distribution.StateDependentNoiseDistribution;
import java.util.SplittableRandom;

/** Builds the networks a configuration asks for, initialised orthogonally by default with SB3's gains. */
final class ActorCriticFactory {

    private static final double POLICY_HEAD_GAIN = 0.01;
    private static final double VALUE_HEAD_GAIN = 1.0;

    private ActorCriticFactory() {
    }

    static ActorCritic create(int observationSize, Space actionSpace, PpoConfig config, long seed) {
        // one stream, drawn from in this order: actor, then critic (the order fixes the initial weights)
        SplittableRandom random = new SplittableRandom(seed);
        ActionDistribution distribution = ActionDistributions.forSpace(actionSpace);
        PpoConfig.Model model = config.model();
        PpoConfig.Optimizer optimizer = config.optimizer();
        NetworkConfig network = model.network();
        boolean gaussian = distribution instanceof GaussianParameters;
        boolean useSde = distribution instanceof DiagGaussian && model.useSde();
        int d = distribution.actionSize();
        int policyOutputs = useSde ? d : distribution.paramSize();
        boolean shared = model.sharedNetwork();
        int[] heads = shared ? new int[] {policyOutputs, 1} : new int[] {policyOutputs};
        double[] gains = shared ? new double[] {POLICY_HEAD_GAIN, VALUE_HEAD_GAIN} : new double[] {POLICY_HEAD_GAIN};
        // a shared network's DL4J updater holds the trunk's settings; the heads' are set on every update
        Mlp actor = Mlp.create(observationSize, network.hiddenSizes(), network.activation(), heads, gains,
                model.orthoInit(), optimizer.actorNetworkLearningRate(), optimizer.actorNetworkAdamEpsilon(), random);
        boolean fixedLogStd = gaussian && !useSde && model.logStd() == LogStd.FIXED;
        if (gaussian && !useSde) {
            GaussianParameters parameters = (GaussianParameters) distribution;
            int from = parameters.logStdFrom();
            int to = from + parameters.gaussianDimensions();
            if (model.logStd() == LogStd.STATE_DEPENDENT) {
                actor.setBiases(from, to, model.logStdInit());
            } else {
                actor.makeStateIndependent(from, to, model.logStdInit());
            }
        }
        ActorCriticNetworks networks = shared ? new SharedNetwork(actor)
                : new SeparateNetworks(actor, Mlp.create(observationSize, network.hiddenSizes(), network.activation(),
                        new int[] {1}, new double[] {VALUE_HEAD_GAIN}, model.orthoInit(),
                        optimizer.criticLearningRate(), optimizer.criticAdamEpsilon(), random));
        PolicyHead head = useSde
                ? new StateDependentNoiseHead(StateDependentNoiseDistribution.create(actor.lastHiddenSize(), d,
                        model.logStdInit(), optimizer.policyLearningRate(), optimizer.policyAdamEpsilon()), d)
                : new DirectHead(distribution, fixedLogStd);
        ActorCritic actorCritic = new ActorCritic(networks, head, fixedLogStd, actionSpace,
                config.normalization().value() ? new ValueNormalizer() : null);
        actorCritic.setLearningRates(optimizer, 1.0);
        return actorCritic;
    }
}
