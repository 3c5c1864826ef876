package dev.proxima.env;

import java.util.Arrays;

/**
 * The grid of a maze environment, free ('.') and wall ('#') cells, and the agent's cell on it:
 * the agent starts top-left, the goal is bottom-right, and the observation is the one-hot of the
 * agent's cell.
 */
final class Grid {

    private final String[] layout;
    private final int size;
    private int row;
    private int col;

    Grid(String[] layout) {
        this.layout = layout.clone();
        this.size = layout.length;
    }

    /** Box([0, 1]^(size * size)), the one-hot observations of a square grid. */
    static BoxSpace observationSpace(int size) {
        double[] high = new double[size * size];
        Arrays.fill(high, 1.0);
        return BoxSpace.of(new double[size * size], high);
    }

    double[] reset() {
        row = 0;
        col = 0;
        return observation();
    }

    /** Puts the agent on the free cell {@code [row, col]}. */
    double[] resetToState(double[] state) {
        if (state == null || state.length != 2) {
            throw new IllegalArgumentException("state must be [row, col]");
        }
        int newRow = (int) state[0];
        int newCol = (int) state[1];
        if (newRow != state[0] || newCol != state[1] || !free(newRow, newCol)) {
            throw new IllegalArgumentException("state must be a free cell [row, col] with whole coordinates in 0.."
                    + (size - 1));
        }
        row = newRow;
        col = newCol;
        return observation();
    }

    /** Whether the agent could move by this much: the target cell is on the grid and free. */
    boolean canMove(int rowStep, int colStep) {
        return free(row + rowStep, col + colStep);
    }

    /** Moves the agent unless the target cell is a wall or off the grid. */
    void move(int rowStep, int colStep) {
        if (canMove(rowStep, colStep)) {
            row += rowStep;
            col += colStep;
        }
    }

    boolean atGoal() {
        return row == size - 1 && col == size - 1;
    }

    double[] state() {
        return new double[] {row, col};
    }

    double[] observation() {
        double[] observation = new double[size * size];
        observation[row * size + col] = 1.0;
        return observation;
    }

    private boolean free(int r, int c) {
        return r >= 0 && r < size && c >= 0 && c < size && layout[r].charAt(c) == '.';
    }
}
