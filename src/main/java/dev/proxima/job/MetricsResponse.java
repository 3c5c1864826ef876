package dev.proxima.job;

import java.util.List;
import java.util.Map;
import java.util.UUID;

public record MetricsResponse(UUID jobId, List<Point> points) {

    public record Point(int iteration, long timesteps, double elapsedSeconds, Map<String, Double> metrics) {
    }
}
