package dev.proxima.support;

import dev.proxima.client.ProximaRunner;
import dev.proxima.env.Environment;
import dev.proxima.env.EnvironmentRegistry;
import dev.proxima.env.StepResult;

/** Proxima's own environments as a user's simulation, for runner tests. */
public final class Simulations {

    private Simulations() {
    }

    public static ProximaRunner.Simulation of(String environmentId) {
        Environment env = new EnvironmentRegistry().create(environmentId);
        return new ProximaRunner.Simulation() {
            @Override
            public double[] reset(Long seed) {
                return seed == null ? env.reset() : env.reset(seed);
            }

            @Override
            public ProximaRunner.Step step(double[] action) {
                StepResult result = env.step(action);
                return new ProximaRunner.Step(result.observation(), result.reward(), result.terminated(),
                        result.truncated());
            }

            @Override
            public boolean[] actionMask() {
                return env.actionMask();
            }
        };
    }
}
