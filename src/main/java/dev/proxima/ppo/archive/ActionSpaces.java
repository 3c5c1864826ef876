package dev.proxima.ppo.archive;

import dev.proxima.env.BoxSpace;
import dev.proxima.env.DiscreteSpace;
import dev.proxima.env.HybridSpace;
import dev.proxima.env.MultiDiscreteSpace;
import dev.proxima.env.Space;
import java.util.Arrays;
import java.util.Properties;
import java.util.stream.Collectors;

/** An action space as the properties of a policy archive, so a restored policy knows what it acts in. */
final class ActionSpaces {

    private ActionSpaces() {
    }

    static void write(Space space, Properties meta) {
        if (space instanceof DiscreteSpace discrete) {
            meta.setProperty("actionSpace", "discrete");
            meta.setProperty("actionSpace.n", Integer.toString(discrete.n()));
        } else if (space instanceof MultiDiscreteSpace multiDiscrete) {
            meta.setProperty("actionSpace", "multiDiscrete");
            meta.setProperty("actionSpace.nvec",
                    Arrays.stream(multiDiscrete.nvec()).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        } else if (space instanceof BoxSpace box) {
            meta.setProperty("actionSpace", "box");
            meta.setProperty("actionSpace.low", ObservationNormalizers.join(box.low()));
            meta.setProperty("actionSpace.high", ObservationNormalizers.join(box.high()));
        } else if (space instanceof HybridSpace hybrid) {
            meta.setProperty("actionSpace", "hybrid");
            meta.setProperty("actionSpace.n", Integer.toString(hybrid.n()));
            meta.setProperty("actionSpace.low", ObservationNormalizers.join(hybrid.parameters().low()));
            meta.setProperty("actionSpace.high", ObservationNormalizers.join(hybrid.parameters().high()));
            // one row per type, "1" where the type uses the parameter: "10;01;00"
            meta.setProperty("actionSpace.parameterMask", Arrays.stream(hybrid.parameterMask())
                    .map(ActionSpaces::flags).collect(Collectors.joining(";")));
        }
    }

    private static String flags(boolean[] row) {
        StringBuilder text = new StringBuilder();
        for (boolean flag : row) {
            text.append(flag ? '1' : '0');
        }
        return text.toString();
    }

    private static boolean[] parseFlags(String text) {
        boolean[] row = new boolean[text.length()];
        for (int i = 0; i < row.length; i++) {
            row[i] = text.charAt(i) == '1';
        }
        return row;
    }

    static Space read(Properties meta) {
        String type = meta.getProperty("actionSpace");
        return switch (type) {
            case "discrete" -> new DiscreteSpace(Integer.parseInt(meta.getProperty("actionSpace.n")));
            case "multiDiscrete" -> new MultiDiscreteSpace(Arrays.stream(meta.getProperty("actionSpace.nvec").split(","))
                    .mapToInt(Integer::parseInt).toArray());
            case "box" -> BoxSpace.of(ObservationNormalizers.split(meta.getProperty("actionSpace.low")),
                    ObservationNormalizers.split(meta.getProperty("actionSpace.high")));
            case "hybrid" -> new HybridSpace(Integer.parseInt(meta.getProperty("actionSpace.n")),
                    BoxSpace.of(ObservationNormalizers.split(meta.getProperty("actionSpace.low")),
                            ObservationNormalizers.split(meta.getProperty("actionSpace.high"))),
                    Arrays.stream(meta.getProperty("actionSpace.parameterMask").split(";", -1))
                            .map(ActionSpaces::parseFlags).toArray(boolean[][]::new));
            default -> throw new IllegalArgumentException("unknown action space in archive: " + type);
        };
    }
}
