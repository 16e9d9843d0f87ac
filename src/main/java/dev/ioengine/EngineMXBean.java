package dev.ioengine;

/**
 * An open engine's statistics for JMX clients ({@code jcmd}, {@code jconsole}, any {@code MBeanServerConnection}):
 * each engine registers one in the platform MBean server as {@code dev.ioengine:type=Engine,name=NAME}, NAME being
 * its {@link IoEngineConfig#name()} (with {@code -2}, {@code -3}... after it when that is taken), and unregisters it
 * when closed. Each attribute is read from a fresh {@link IoEngine#stats()} snapshot. Registered only when the
 * {@code java.management} module is in the runtime.
 */
public interface EngineMXBean {
    /** The engine: {@code io_uring}, {@code aio} or {@code threads}. */
    String getEngine();

    /** Requests accepted. */
    long getSubmitted();

    /** Requests completed, successfully or not. */
    long getCompleted();

    /** Completed requests that failed. */
    long getFailed();

    /** Requests accepted and not yet completed. */
    long getInFlight();

    /** Requests served at once on the caller's thread ({@link IoEngine#tryNow}). */
    long getImmediate();

    /** Requests merged into a neighbour's vectored request. */
    long getMerged();

    /** Kernel submissions made. */
    long getBatches();

    /** Mean requests per kernel submission. */
    double getMeanBatchSize();

    /** The largest batch seen. */
    long getMaxBatchSize();

    /** Submit-to-completion latency, median, in microseconds (of the queued requests). */
    double getLatencyP50Micros();

    /** Submit-to-completion latency, 99th percentile, in microseconds. */
    double getLatencyP99Micros();

    /** Submit-to-completion latency, 99.9th percentile, in microseconds. */
    double getLatencyP999Micros();

    /** The longest submit-to-completion latency, in microseconds. */
    double getLatencyMaxMicros();
}
