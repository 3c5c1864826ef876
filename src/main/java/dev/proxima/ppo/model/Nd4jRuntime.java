package dev.proxima.ppo.model;

import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J and OpenBLAS run each call on one thread: on small networks OpenMP's thread hand-off costs more than
 * it saves (two threads on two cores stalled small ops 10-60x), so parallelism comes from
 * running jobs side by side instead.
 *
 * <p>JavaCPP also checks the process's resident memory on every native allocation when a
 * physical-memory limit is set; ND4J allocates on every op, so the check is switched off
 * (heap-backed limits still apply through the JVM's own settings).
 */
public final class Nd4jRuntime {

    private static volatile boolean initialised;

    private Nd4jRuntime() {
    }

    public static void init() {
        if (!initialised) {
            synchronized (Nd4jRuntime.class) {
                if (!initialised) {
                    System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
                    Nd4j.getEnvironment().setMaxThreads(1);
                    Nd4j.getEnvironment().setMaxMasterThreads(1);
                    // OpenBLAS's own pool, which the fused passes' direct sgemm calls use: without
                    // OMP_NUM_THREADS=1 it takes every core and a 256x64x64 product runs 3x slower
                    Nd4j.factory().blas().setMaxThreads(1);
                    initialised = true;
                }
            }
        }
    }
}
