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
    private static final EnvironmentSpec SPEC = new EnvironmentSpec(ID, observationSpace(), new DiscreteSpace(4), 50,
            OPTIMAL_RETURN);

    private int row;
    private int col;

    private static BoxSpace observationSpace() {
        double[] low = new double[SIZE * SIZE];
        double[] high = new double[SIZE * SIZE];
        java.util.Arrays.fill(high, 1.0);
        return BoxSpace.of(low, high);
    }

    @Override
    public EnvironmentSpec spec() {
        return SPEC;
    }

    @Override
    protected double[] resetWith(SplittableRandom random) {
        row = 0;
        col = 0;
        return observation();
    }

    @Override
    public double[] resetToState(double[] state) {
        if (state == null || state.length != 2) {
            throw new IllegalArgumentException("state must be [row, col]");
        }
        int newRow = (int) state[0];
        int newCol = (int) state[1];
        if (newRow != state[0] || newCol != state[1] || !free(newRow, newCol)) {
            throw new IllegalArgumentException("state must be a free cell [row, col] with whole coordinates in 0..4");
        }
        row = newRow;
        col = newCol;
        return observation();
    }

    @Override
    public StepResult step(double[] action) {
        if (action == null || action.length != 1 || action[0] != Math.rint(action[0]) || action[0] < 0
                || action[0] > 3) {
            throw new IllegalArgumentException("action must be one of 0 (up), 1 (right), 2 (down), 3 (left)");
        }
        int move = (int) action[0];
        if (free(row + ROW_STEP[move], col + COL_STEP[move])) {
            row += ROW_STEP[move];
            col += COL_STEP[move];
        }
        boolean atGoal = row == SIZE - 1 && col == SIZE - 1;
        return new StepResult(observation(), -1.0, atGoal, false);
    }

    @Override
    public boolean[] actionMask() {
        boolean[] mask = new boolean[4];
        for (int move = 0; move < 4; move++) {
            mask[move] = free(row + ROW_STEP[move], col + COL_STEP[move]);
        }
        return mask;
    }

    @Override
    public double[] state() {
        return new double[] {row, col};
    }

    private static boolean free(int r, int c) {
        return r >= 0 && r < SIZE && c >= 0 && c < SIZE && LAYOUT[r].charAt(c) == '.';
    }

    private double[] observation() {
        double[] observation = new double[SIZE * SIZE];
        observation[row * SIZE + col] = 1.0;
        return observation;
    }
}
