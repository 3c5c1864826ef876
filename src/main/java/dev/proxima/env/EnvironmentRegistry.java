package dev.proxima.env;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The environments that can be trained on, by Gymnasium id. */
public class EnvironmentRegistry {

    private static final Map<String, Supplier<Environment>> FACTORIES = factories();

    private static Map<String, Supplier<Environment>> factories() {
        Map<String, Supplier<Environment>> factories = new LinkedHashMap<>();
        factories.put(CartPole.ID, CartPole::new);
        factories.put(Acrobot.ID, Acrobot::new);
        factories.put(MountainCar.ID, MountainCar::new);
        factories.put(MountainCarContinuous.ID, MountainCarContinuous::new);
        factories.put(Pendulum.ID, Pendulum::new);
        factories.put(GridMaze.ID, GridMaze::new);
        factories.put(DiagonalMaze.ID, DiagonalMaze::new);
        factories.put(Moving.ID, Moving::new);
        factories.put(Sliding.ID, Sliding::new);
        return factories;
    }

    private final Map<String, EnvironmentSpec> specs = new LinkedHashMap<>();

    public EnvironmentRegistry() {
        FACTORIES.forEach((id, factory) -> specs.put(id, factory.get().spec()));
    }

    public List<EnvironmentSpec> specs() {
        return List.copyOf(specs.values());
    }

    public Optional<EnvironmentSpec> find(String id) {
        return Optional.ofNullable(specs.get(id));
    }

    /** A new instance of the environment, wrapped in its {@link TimeLimit}. */
    public Environment create(String id) {
        Supplier<Environment> factory = FACTORIES.get(id);
        if (factory == null) {
            throw new UnknownEnvironmentException(id);
        }
        return new TimeLimit(factory.get());
    }
}
