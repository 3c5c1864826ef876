package dev.proxima.job;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** The metrics of one iteration of one job, as a JSON object keyed by SB3's metric names. */
@Entity
@Table(name = "metric_point")
@IdClass(MetricPoint.Key.class)
public class MetricPoint {

    @Id
    private UUID jobId;

    @Id
    private int iteration;

    private long timesteps;
    private double elapsedSeconds;

    /** As JSON text in a varchar column (see {@link JsonColumns}); never updated. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "metrics_json", columnDefinition = "varchar(8000)")
    @Immutable
    private Map<String, Double> metrics;

    protected MetricPoint() {
    }

    MetricPoint(UUID jobId, int iteration, long timesteps, double elapsedSeconds, Map<String, Double> metrics) {
        this.jobId = jobId;
        this.iteration = iteration;
        this.timesteps = timesteps;
        this.elapsedSeconds = elapsedSeconds;
        this.metrics = metrics;
    }

    public UUID getJobId() {
        return jobId;
    }

    public int getIteration() {
        return iteration;
    }

    public long getTimesteps() {
        return timesteps;
    }

    public double getElapsedSeconds() {
        return elapsedSeconds;
    }

    public Map<String, Double> getMetrics() {
        return metrics;
    }

    /** The composite primary key (job, iteration). */
    public static class Key implements Serializable {
        private UUID jobId;
        private int iteration;

        public Key() {
        }

        public Key(UUID jobId, int iteration) {
            this.jobId = jobId;
            this.iteration = iteration;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.iteration == iteration && Objects.equals(key.jobId, jobId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(jobId, iteration);
        }
    }
}
