package dev.proxima.env;

import java.util.SplittableRandom;

/**
 * {@code DiagonalMaze-v0}: a 5x5 maze with a MultiDiscrete([3, 3]) action, for per-dimension
 * action masking. The agent starts in the top-left corner and must reach the bottom-right one;
 * every step costs -1 and reaching the goal terminates the episode. The observation is the
 * one-hot of the agent's cell.
 *
 * <p>An action is (row move, column move), each 0, 1 or 2 for -1, 0 or +1, taken as two sub-moves:
 * first the row move, then the column move from wherever the row move left the agent. A sub-move
 * into a wall or off the grid leaves the agent where it is. {@link #actionMask()} has three flags
 * per dimension and masks a sub-move that would hit a wall or the edge from the agent's current
 * cell. The row flags are therefore exact; the column flags are exact only when the row move is 0,
 * so an allowed column move may still be blocked after a row move, and a masked one may have
 * been possible.
 *
 * <pre>
 *   S . . # .
 *   # . . . .
 *   . # # . #
 *   . . . . .
 *   # # . . G
 * </pre>
 *
 * The shortest path takes 6 actions, (0,0) (0,1) (1,2) (1,3) (2,3) (3,3) (4,4), so the optimal
 * return is -6 ({@link #OPTIMAL_RETURN}); that holds with masked actions excluded or not.
 */
public final class DiagonalMaze extends SeededEnvironment {

    public static final String ID = "DiagonalMaze-v0";
    public static final double OPTIMAL_RETURN = -6.0;
    private static final String[] LAYOUT = {
        "...#.",
        "#....",
        ".##.#",
        ".....",
        "##...",
    };
    private static final int SIZE = LAYOUT.length;
    private static final MultiDiscreteSpace ACTIONS = new MultiDiscreteSpace(new int[] {3, 3});
    private static final EnvironmentSpec SPEC = new EnvironmentSpec(ID, Grid.observationSpace(SIZE), ACTIONS, 50,
            OPTIMAL_RETURN);

    private final Grid grid = new Grid(LAYOUT);

    @Override
    public EnvironmentSpec spec() {
        return SPEC;
    }

    @Override
    protected double[] resetWith(SplittableRandom random) {
        return grid.reset();
    }

    @Override
    public double[] resetToState(double[] state) {
        return grid.resetToState(state);
    }

    @Override
    public StepResult step(double[] action) {
        int[] moves = ACTIONS.choices(action);
        int rowStep = moves[0] - 1;
        int colStep = moves[1] - 1;
        grid.move(rowStep, 0);
        grid.move(0, colStep);
        return new StepResult(grid.observation(), -1.0, grid.atGoal(), false);
    }

    /** Flags 0-2: row move -1, 0, +1; flags 3-5: column move -1, 0, +1; each judged from the current cell. */
    @Override
    public boolean[] actionMask() {
        boolean[] mask = new boolean[6];
        for (int move = 0; move < 3; move++) {
            mask[move] = grid.canMove(move - 1, 0);
            mask[3 + move] = grid.canMove(0, move - 1);
        }
        return mask;
    }

    @Override
    public double[] state() {
        return grid.state();
    }
}
