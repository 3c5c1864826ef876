package dev.proxima.env;

import java.util.SplittableRandom;

/**
 * {@code GridMaze-v0}: a 5x5 maze with invalid actions, for action masking. The agent starts in
 * the top-left corner and must reach the bottom-right one; every step costs -1, reaching the
 * goal terminates the episode. Actions 0-3 move up, right, down, left; a move into a wall or off
 * the grid is invalid: {@link #actionMask()} marks it, and if taken anyway the agent stays put
 * (and still pays -1). The observation is the one-hot of the agent's cell.
 *
 * <pre>
 *   S . . # .
 *   # # . # .
 *   . . . . .
 *   . # # # .
 *   . . . # G
 * </pre>
 *
 * The shortest path takes 8 moves, so the optimal return is -8 ({@link #OPTIMAL_RETURN}).
 */
public final class GridMaze extends SeededEnvironment {

    public static final String ID = "GridMaze-v0";
    public static final double OPTIMAL_RETURN = -8.0;
    private static final String[] LAYOUT = {
        "...#.",
        "##.#.",
        ".....",
        ".###.",
        "...#.",
    };
    private static final int SIZE = LAYOUT.length;
    private static final int[] ROW_STEP = {-1, 0, 1, 0};
    private static final int[] COL_STEP = {0, 1, 0, -1};
    private static final EnvironmentSpec SPEC = new EnvironmentSpec(ID, Grid.observationSpace(SIZE), new DiscreteSpace(4), 50,
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
        if (action == null || action.length != 1 || action[0] != Math.rint(action[0]) || action[0] < 0
                || action[0] > 3) {
            throw new IllegalArgumentException("action must be one of 0 (up), 1 (right), 2 (down), 3 (left)");
        }
        int move = (int) action[0];
        grid.move(ROW_STEP[move], COL_STEP[move]);
        return new StepResult(grid.observation(), -1.0, grid.atGoal(), false);
    }

    @Override
    public boolean[] actionMask() {
        boolean[] mask = new boolean[4];
        for (int move = 0; move < 4; move++) {
            mask[move] = grid.canMove(ROW_STEP[move], COL_STEP[move]);
        }
        return mask;
    }

    @Override
    public double[] state() {
        return grid.state();
    }
}
