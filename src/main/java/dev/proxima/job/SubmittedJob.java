package dev.proxima.job;

/** The outcome of a submission: the job, and whether it was created now or by an earlier try with the same key. */
public record SubmittedJob(JobResponse job, boolean replayed) {
}
