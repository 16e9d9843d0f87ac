package dev.ioengine.cli;

import dev.ioengine.EngineAvailability;
import dev.ioengine.EngineKind;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The {@code io-engine} command-line tool: {@code info}, {@code bench}, {@code plot} and {@code run}. Results go
 * to stdout, progress and errors to stderr. Exit status: 0 success, 1 failure (IO error, verify mismatch, engine
 * unavailable), 2 bad command line. Started by the {@code ./io-engine} launcher, which supplies
 * {@code --enable-native-access} and the class path with HdrHistogram.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    static String help() {
        return """
                usage: io-engine <command> [options]
                  info                       kernel support for io_uring and Linux AIO, and which engine 'auto' picks
                  bench [fio-style options]  a load generator over the engine: IOPS, bandwidth, latency, CPU per IO;
                                             bench --compare runs it on every engine, on the JDK's and
                                             io-engine's channels (each in a fresh JVM) and on fio, side by
                                             side; --plot=FILE.svg
                                             also draws it (latency by percentile, IOPS per contender)
                  plot --from=R.json --out=F.svg
                                             draws a result saved with bench --output-format=json
                  run [OPTIONS] CLASS [ARGS] run a Java program with io-engine as the default file system provider
                  help                       this text; 'io-engine <command> --help' for a command's options
                Exit status: 0 success, 1 failure (IO error, verify mismatch, engine unavailable), 2 bad usage.
                """;
    }

    /** Runs a command line; returns the exit status. In-process entry point (tests). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(help());
            return UsageException.EXIT_STATUS;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            return switch (args[0]) {
                case "help", "--help", "-h" -> {
                    out.print(help());
                    yield 0;
                }
                case "info" -> Info.run(rest, out, err);
                case "bench" -> bench(rest, out, err);
                case "plot" -> Plot.run(rest, out, err);
                case "run" -> RunCommand.run(rest, out, err);
                case Compare.CHILD_COMMAND -> Compare.runChild(rest, out, err);
                default -> {
                    err.println("io-engine: unknown command '" + args[0]
                            + "' (expected info, bench, plot, run or help)");
                    yield UsageException.EXIT_STATUS;
                }
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("io-engine: interrupted");
            return 1;
        }
    }

    /** {@code io-engine bench}: parse, run with a Ctrl-C hook that stops the job and removes its file, report. */
    static int bench(List<String> args, PrintStream out, PrintStream err) throws InterruptedException {
        return bench(args, out, err, null);
    }

    /** As {@link #bench(List, PrintStream, PrintStream)}; {@code configure} adjusts the job (tests' hooks). */
    static int bench(List<String> args, PrintStream out, PrintStream err, Consumer<BenchJob> configure)
            throws InterruptedException {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (UsageException e) {
            err.println("io-engine bench: " + e.getMessage());
            return UsageException.EXIT_STATUS;
        }
        if (options.helpRequested()) {
            out.print(BenchOptions.help());
            return 0;
        }
        if (!hdrHistogramPresent()) {
            err.println("io-engine bench: HdrHistogram is not on the class path (use the ./io-engine launcher, "
                    + "or add org.hdrhistogram:HdrHistogram)");
            return 1;
        }
        BenchTarget target;
        try {
            if (options.plotFile() != null) {
                OutputFile.checkWritable(options.plotFile());
            }
            target = BenchTarget.inspect(options);
        } catch (IOException e) {
            err.println("io-engine bench: --plot: " + FailureMessage.of(e));
            return 1;
        } catch (BenchTarget.TargetException e) {
            err.println("io-engine bench: " + e.getMessage());
            return 1;
        }
        String tmpfs = target.directOnTmpfsNote(options);
        if (tmpfs != null) {
            err.println("io-engine bench: " + tmpfs);
        }
        if (options.compareRounds() > 0) {
            return compare(options, target, out, err);
        }
        EngineKind engine = options.engine() == EngineKind.AUTO ? EngineAvailability.selectAuto() : options.engine();
        if (options.fioEngine() != null) {
            err.println("io-engine bench: note: --ioengine=" + options.fioEngine() + " runs on io-engine's threads "
                    + "engine (pread/pwrite on a thread pool, --iodepth requests in flight per job)");
        }
        if (engine == EngineKind.AIO && !options.direct()) {
            err.println("io-engine bench: note: Linux AIO is asynchronous only with O_DIRECT; on buffered files "
                    + "io_submit does the IO itself (add --direct)");
        }
        BenchJob job = new BenchJob(options, target);
        if (configure != null) {
            configure.accept(job);
        }
        return withInterruptHook("io-engine-bench-interrupt", job::cancel, job::deleteTemporaryFile, () -> {
            BenchResult result = job.run(err);
            if (options.plotFile() != null) {
                try {
                    Plot.write(JsonReader.parse(BenchReport.toJson(result)), options.plotFile(), err);
                } catch (IOException e) {
                    result = result.withError("cannot write the plot: " + FailureMessage.of(e));
                }
            }
            if (options.jsonOutput()) {
                out.println(BenchReport.toJson(result));
            } else {
                BenchReport.printText(result, out);
            }
            out.flush();
            if (result.error() != null) {
                err.println("io-engine bench: " + result.error());
            }
            if (result.mismatches() > 0) {
                err.println("io-engine bench: verify FAILED: " + result.mismatches() + " mismatches; first: "
                        + result.firstMismatches().getFirst());
            }
            return result.exitStatus();
        });
    }

    /** {@code bench --compare}: the same job on every engine and on fio, with the same Ctrl-C handling. */
    private static int compare(BenchOptions options, BenchTarget target, PrintStream out, PrintStream err)
            throws InterruptedException {
        Compare compare = new Compare(options, target, err);
        return withInterruptHook("io-engine-compare-interrupt", compare::cancel, compare::deleteTemporaryFile,
                () -> compare.run(out));
    }

    /** A command body that returns an exit status. */
    @FunctionalInterface
    interface Command {
        int run() throws InterruptedException;
    }

    /**
     * Runs {@code body} with a shutdown hook for Ctrl-C: the hook calls {@code cancel} (the body then stops early
     * and still prints its report), waits up to 30 s for the body to finish, and calls {@code cleanup} (removing
     * a temporary file). The hook is removed when the body returns normally.
     */
    static int withInterruptHook(String name, Runnable cancel, Runnable cleanup, Command body)
            throws InterruptedException {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancel.run();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            cleanup.run();
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return body.run();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down (Ctrl-C): the hook is running and finishes the clean-up.
            }
        }
    }

    private static boolean hdrHistogramPresent() {
        try {
            Class.forName("org.HdrHistogram.Recorder", false, Main.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
