package dev.proxima.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DiagonalMazeTest {

    private static final int UP = 0;
    private static final int STAY = 1;
    private static final int DOWN = 2;
    private static final int LEFT = 0;
    private static final int RIGHT = 2;

    private static Environment maze() {
        return new EnvironmentRegistry().create(DiagonalMaze.ID);
    }

    @Test
    void isRegisteredWithAMultiDiscreteActionSpace() {
        EnvironmentSpec spec = new EnvironmentRegistry().find(DiagonalMaze.ID).orElseThrow();
        assertThat(spec.actionSpace()).isEqualTo(new MultiDiscreteSpace(new int[] {3, 3}));
        assertThat(spec.observationSpace().flatSize()).isEqualTo(25);
        assertThat(spec.maxEpisodeSteps()).isEqualTo(50);
        assertThat(spec.rewardThreshold()).isEqualTo(DiagonalMaze.OPTIMAL_RETURN);
    }

    @Test
    void masksEachSubMoveThatWouldHitAWallOrTheEdgeFromTheCurrentCell() {
        Environment maze = maze();
        double[] observation = maze.reset(0);
        assertThat(observation[0]).isEqualTo(1.0);
        // at (0,0): up leaves the grid, down is a wall; left leaves the grid
        assertThat(maze.actionMask()).containsExactly(false, true, false, false, true, true);

        StepResult blocked = maze.step(new double[] {DOWN, STAY});
        assertThat(maze.state()).containsExactly(0, 0);
        assertThat(blocked.reward()).isEqualTo(-1.0);
        assertThat(blocked.terminated()).isFalse();

        maze.step(new double[] {STAY, RIGHT});
        assertThat(maze.state()).containsExactly(0, 1);
        maze.step(new double[] {DOWN, RIGHT});
        assertThat(maze.state()).containsExactly(1, 2);
    }

    @Test
    void theColumnMoveStartsWhereTheRowMoveEnded() {
        Environment maze = maze();
        maze.resetToState(new double[] {1, 2});
        // from (1,2) the column move to (1,3) is free, but after the row move to (0,2), (0,3) is a wall
        assertThat(maze.actionMask()[3 + RIGHT]).isTrue();
        maze.step(new double[] {UP, RIGHT});
        assertThat(maze.state()).containsExactly(0, 2);

        maze.resetToState(new double[] {1, 2});
        // from (1,2) the column move to (1,1) is free, but after the row move down, (2,1) is a wall;
        // the row move down into (2,2) is a wall too, so the agent only moves left
        maze.step(new double[] {DOWN, LEFT});
        assertThat(maze.state()).containsExactly(1, 1);
    }

    @Test
    void reachingTheGoalTerminates() {
        Environment maze = maze();
        maze.resetToState(new double[] {3, 3});
        StepResult step = maze.step(new double[] {DOWN, RIGHT});
        assertThat(maze.state()).containsExactly(4, 4);
        assertThat(step.terminated()).isTrue();
        assertThat(step.observation()[24]).isEqualTo(1.0);
    }

    @Test
    void rejectsActionsOutsideTheSpaceAndStatesOnWalls() {
        Environment maze = maze();
        maze.reset(0);
        assertThatThrownBy(() -> maze.step(new double[] {1})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> maze.step(new double[] {1, 3})).hasMessageContaining("action[1]");
        assertThatThrownBy(() -> maze.step(new double[] {0.5, 1})).hasMessageContaining("action[0]");
        assertThatThrownBy(() -> maze.resetToState(new double[] {1, 0})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optimalReturnIsTheShortestPathWithOrWithoutMasks() {
        assertThat(shortestPath(true)).isEqualTo((int) -DiagonalMaze.OPTIMAL_RETURN);
        assertThat(shortestPath(false)).isEqualTo((int) -DiagonalMaze.OPTIMAL_RETURN);
    }

    /** Breadth-first search from the start through the environment itself, over legal actions or all nine. */
    static int shortestPath(boolean legalOnly) {
        Environment maze = maze();
        int[][] distance = new int[5][5];
        for (int[] row : distance) {
            Arrays.fill(row, -1);
        }
        distance[0][0] = 0;
        ArrayDeque<int[]> queue = new ArrayDeque<>();
        queue.add(new int[] {0, 0});
        while (!queue.isEmpty()) {
            int[] cell = queue.poll();
            for (int rowMove = 0; rowMove < 3; rowMove++) {
                for (int colMove = 0; colMove < 3; colMove++) {
                    maze.resetToState(new double[] {cell[0], cell[1]});
                    boolean[] mask = maze.actionMask();
                    if (legalOnly && !(mask[rowMove] && mask[3 + colMove])) {
                        continue;
                    }
                    maze.step(new double[] {rowMove, colMove});
                    int r = (int) maze.state()[0];
                    int c = (int) maze.state()[1];
                    if (distance[r][c] < 0) {
                        distance[r][c] = distance[cell[0]][cell[1]] + 1;
                        queue.add(new int[] {r, c});
                    }
                }
            }
        }
        return distance[4][4];
    }
}
