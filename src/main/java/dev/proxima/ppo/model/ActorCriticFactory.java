package dev.proxima.ppo.model;

import dev.proxima.env.Space;
import dev.proxima.ppo.config.NetworkConfig;
import dev.proxima.ppo.config.PpoConfig;
import dev.proxima.ppo.distribution.ActionDistribution;
import dev.proxima.ppo.distribution.ActionDistributions;
import dev.proxima.ppo.distribution.DiagGaussian;
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
        NetworkConfig network = config.network();
        boolean gaussian = distribution instanceof DiagGaussian;
        boolean useSde = gaussian && config.useSde();
        int d = distribution.actionSize();
        int policyOutputs = useSde ? d : distribution.paramSize();
        boolean shared = config.sharedNetwork();
        int[] heads = shared ? new int[] {policyOutputs, 1} : new int[] {policyOutputs};
        double[] gains = shared ? new double[] {POLICY_HEAD_GAIN, VALUE_HEAD_GAIN} : new double[] {POLICY_HEAD_GAIN};
        Mlp actor = Mlp.create(observationSize, network.hiddenSizes(), network.activation(), heads, gains,
                config.orthoInit(), config.actorLearningRate(), config.actorAdamEpsilon(), random);
        boolean fixedLogStd = false;
        if (gaussian && !useSde) {
            switch (config.logStd()) {
                case PpoConfig.LOG_STD_STATE_DEPENDENT -> actor.setBiases(d, 2 * d, config.logStdInit());
                case PpoConfig.LOG_STD_FIXED -> {
                    actor.makeStateIndependent(d, 2 * d, config.logStdInit());
                    fixedLogStd = true;
                }
                default -> actor.makeStateIndependent(d, 2 * d, config.logStdInit());
            }
        }
        ActorCriticNetworks networks = shared ? new SharedNetwork(actor)
                : new SeparateNetworks(actor, Mlp.create(observationSize, network.hiddenSizes(), network.activation(),
                        new int[] {1}, new double[] {VALUE_HEAD_GAIN}, config.orthoInit(),
                        config.criticLearningRate(), config.criticAdamEpsilon(), random));
        PolicyHead head = useSde
                ? new StateDependentNoiseHead(StateDependentNoiseDistribution.create(actor.lastHiddenSize(), d,
                        config.logStdInit(), config.actorLearningRate(), config.actorAdamEpsilon()), d)
                : new DirectHead(distribution, fixedLogStd);
        return new ActorCritic(networks, head, fixedLogStd, actionSpace);
    }
}
