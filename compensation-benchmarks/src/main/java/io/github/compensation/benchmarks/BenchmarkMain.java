package io.github.compensation.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoublePredicate;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark of this module, with the GC profiler, and writes {@code jmh-result.json} and
 * {@code benchmarks.md} (ratios to each case's baseline, and whether each target is met) into the folder given as the
 * first argument. Two JMH runs, one fork per benchmark: cases 1, 2 and 5 with 3 warm-up and N measurement iterations
 * of 1 s; cases 3-4 (a Spring Boot context on H2, slow to reach its steady state) and 6-7 (embedded PostgreSQL) with
 * the warm-up and iteration time their classes declare, and N measurement iterations; case 8 (messages to RabbitMQ)
 * the same way, and its commit-to-acknowledgement percentiles appended to {@code benchmarks.md}. Environment:
 * {@code BENCH_ITERATIONS} (measurement iterations, default 5), {@code BENCH_INCLUDE} (a regular expression of
 * benchmarks to run, default all).
 */
public final class BenchmarkMain {

    /** The system property that tells a forked benchmark JVM the output folder (case 8 writes its latencies there). */
    static final String OUTPUT_PROPERTY = "compensation.benchmarks.out";

    private BenchmarkMain() {
    }

    /**
     * Runs the benchmarks.
     *
     * @param args the output folder, {@code target} by default
     * @throws RunnerException when JMH fails
     * @throws IOException     when the results cannot be written
     */
    public static void main(String[] args) throws RunnerException, IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target");
        Files.createDirectories(out);
        Files.deleteIfExists(out.resolve(CommitToAck.FILE));
        int iterations = Integer.parseInt(System.getenv().getOrDefault("BENCH_ITERATIONS", "5"));
        String include = System.getenv().getOrDefault("BENCH_INCLUDE", BenchmarkMain.class.getPackageName() + ".*");
        // cases 1, 2 and 5: short and many iterations, set here
        Options inMemory = new OptionsBuilder()
                .include(include)
                .exclude(DECLARED_WARMUP_CASES)
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(1))
                .addProfiler(GCProfiler.class)
                .resultFormat(ResultFormatType.JSON)
                .result(out.resolve("jmh-result-memory.json").toString())
                .build();
        // cases 3-4 (Spring Boot on H2) and 6-8 (embedded PostgreSQL, RabbitMQ): warm-up and iteration time from the classes' own
        // annotations
        Options declared = new OptionsBuilder()
                .include("^(?=.*(?:" + include + "))(?=.*" + DECLARED_WARMUP_CASES + ").*")
                .forks(1)
                .jvmArgsAppend("-D" + OUTPUT_PROPERTY + "=" + out.toAbsolutePath())
                .measurementIterations(iterations)
                .addProfiler(GCProfiler.class)
                .resultFormat(ResultFormatType.JSON)
                .result(out.resolve("jmh-result-declared.json").toString())
                .build();
        List<RunResult> results = new ArrayList<>();
        List<String> json = new ArrayList<>();
        for (Options options : List.of(inMemory, declared)) {
            try {
                results.addAll(new Runner(options).run());
            }
            catch (NoBenchmarksException none) {
                continue;
            }
            Path file = Path.of(options.getResult().get());
            String array = Files.readString(file).strip();
            if (array.length() > 2) {
                json.add(array.substring(1, array.length() - 1).strip());
            }
            Files.delete(file);
        }
        Files.writeString(out.resolve("jmh-result.json"), "[\n" + String.join(",\n", json) + "\n]\n");
        String table = table(results) + latencies(out.resolve(CommitToAck.FILE));
        Files.writeString(out.resolve("benchmarks.md"), table);
        System.out.println(table);
    }

    /** The benchmarks run with their own warm-up and iteration settings: a Spring Boot context, embedded PostgreSQL. */
    private static final String DECLARED_WARMUP_CASES =
            "\\.(TransactionBenchmark|JournalBenchmark|OutboxBenchmark|MessagingBenchmark)\\.";

    private record Measure(double nanos, double error, String unit, double bytes) {

        /** @return operations per second, from a time per operation or a throughput */
        double perSecond() {
            double scale = switch (unit.substring(0, unit.indexOf('/') < 0 ? 0 : unit.indexOf('/'))) {
                case "ns" -> 1e9;
                case "us" -> 1e6;
                case "ms" -> 1e3;
                case "s" -> 1;
                default -> Double.NaN;
            };
            return switch (unit) {
                case "ops/s" -> nanos;
                case "ops/ms" -> nanos * 1e3;
                case "ops/us" -> nanos * 1e6;
                case "ops/ns" -> nanos * 1e9;
                default -> scale / nanos;
            };
        }
    }

    private record Comparison(String label, String benchmark, String baseline, String target, DoublePredicate met,
                              boolean addedCost, boolean throughput) {

        Comparison(String label, String benchmark, String baseline, String target, DoublePredicate met,
                boolean addedCost) {
            this(label, benchmark, baseline, target, met, addedCost, false);
        }

        /** A ratio of throughputs (operations per second): higher is better. */
        static Comparison ofThroughput(String label, String benchmark, String baseline, String target,
                DoublePredicate met) {
            return new Comparison(label, benchmark, baseline, target, met, false, true);
        }
    }

    private static final List<Comparison> COMPARISONS = List.of(
            new Comparison("1 proxy, no-op interceptor", "noOpInterceptor", "directCall", "", ratio -> true, false),
            new Comparison("1 proxy, no-op @Aspect @Around", "noOpAspect", "directCall", "", ratio -> true, false),
            new Comparison("2 scope, 1 rollback + 1 dispatch", "scopeWithRollbackAndDispatch", "noOpInterceptor",
                    "<= 2.0x", ratio -> ratio <= 2.0, false),
            new Comparison("2 with history and MDC (an Actuator application)", "scopeWithHistoryAndMdc",
                    "noOpInterceptor", "<= 5.0x", ratio -> ratio <= 5.0, false),
            new Comparison("2 control: least code for case 2's work, timed (H1)", "minimalScopeControl",
                    "noOpInterceptor", "", ratio -> true, false),
            new Comparison("2 control: least code for case 2's work, untimed", "minimalScopeControlUntimed",
                    "noOpInterceptor", "", ratio -> true, false),
            new Comparison("3 @Transactional + scope + dispatch", "transactionalWithScopeAndDispatch",
                    "transactionalAlone", "", ratio -> true, false),
            new Comparison("4 @Transactional + publishEvent", "transactionalWithEventListener", "transactionalAlone",
                    "", ratio -> true, false),
            new Comparison("3 vs 4: added cost", "transactionalWithScopeAndDispatch",
                    "transactionalWithEventListener", "<= 0.5x", ratio -> ratio <= 0.5, true),
            new Comparison("5 throw through scope, 1 compensation", "throwThroughScope", "directThrow", "<= 3.5x",
                    ratio -> ratio <= 3.5, false),
            Comparison.ofThroughput("6 business transaction with journal", "transactionWithJournal",
                    "transactionWithoutJournal", ">= 0.45", ratio -> ratio >= 0.45),
            Comparison.ofThroughput("6 control: the journal's SQL alone, by hand", "transactionWithJournalSqlAlone",
                    "transactionWithoutJournal", "", ratio -> true),
            Comparison.ofThroughput("6 control: two trivial round trips more", "transactionWithTwoTrivialRoundTrips",
                    "transactionWithoutJournal", "", ratio -> true),
            Comparison.ofThroughput("6c booking with a 2 ms remote call, with journal", "bookingWithJournal",
                    "bookingWithoutJournal", ">= 0.9", ratio -> ratio >= 0.9),
            Comparison.ofThroughput("6b 8 threads, with journal (group commit)", "transactionWithJournal8Threads",
                    "transactionWithoutJournal8Threads", ">= 0.7", ratio -> ratio >= 0.7),
            Comparison.ofThroughput("7 outbox, 1 worker vs Modulith registry", "journalOutbox workers=1",
                    "modulithResubmit", ">= 1.0 (aim 1.5)", ratio -> ratio >= 1.0),
            Comparison.ofThroughput("7 outbox, 2 workers vs 1", "journalOutbox workers=2", "journalOutbox workers=1",
                    "", ratio -> true),
            Comparison.ofThroughput("7 outbox, 4 workers vs 1", "journalOutbox workers=4", "journalOutbox workers=1",
                    ">= 1.6", ratio -> ratio >= 1.6),
            Comparison.ofThroughput("8 messages, outbox 1 worker vs Modulith registry",
                    "compensationOutbox workers=1", "modulithRegistry", ">= 1.5", ratio -> ratio >= 1.5),
            Comparison.ofThroughput("8 messages, outbox 4 workers vs Modulith registry",
                    "compensationOutbox workers=4", "modulithRegistry", ">= 1.5", ratio -> ratio >= 1.5),
            Comparison.ofThroughput("8 messages, outbox 1 worker vs Modulith async listener",
                    "compensationOutbox workers=1", "modulithRegistryAsync", ">= 1.5", ratio -> ratio >= 1.5),
            Comparison.ofThroughput("8 messages, outbox 4 workers vs 1", "compensationOutbox workers=4",
                    "compensationOutbox workers=1", "", ratio -> true),
            Comparison.ofThroughput("8 messages, after commit (no journal) vs Modulith registry",
                    "compensationAfterCommit", "modulithRegistry", "", ratio -> true),
            Comparison.ofThroughput("8 messages, plain listener (no durability) vs Modulith registry",
                    "plainListener", "modulithRegistry", "", ratio -> true),
            Comparison.ofThroughput("8 messages, Modulith async listener vs Modulith registry",
                    "modulithRegistryAsync", "modulithRegistry", "", ratio -> true),
            new Comparison("9 CompletableFuture scope, 1 rollback + 1 dispatch", "futureInScope",
                    "futureWithoutAdvice", "", ratio -> true, false),
            new Comparison("10 Mono scope, 1 rollback + 1 dispatch", "monoInScope", "monoWithoutAdvice", "",
                    ratio -> true, false));

    static String table(Collection<RunResult> results) {
        Map<String, Measure> measures = new HashMap<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            StringBuilder key = new StringBuilder(name.substring(name.lastIndexOf('.') + 1));
            for (String param : result.getParams().getParamsKeys()) {
                key.append(' ').append(param).append('=').append(result.getParams().getParam(param));
            }
            Result<?> alloc = result.getSecondaryResults().get("gc.alloc.rate.norm");
            measures.put(key.toString(), new Measure(result.getPrimaryResult().getScore(),
                    result.getPrimaryResult().getScoreError(), result.getPrimaryResult().getScoreUnit(),
                    alloc == null ? Double.NaN : alloc.getScore()));
        }
        StringBuilder text = new StringBuilder();
        text.append("Run on ").append(LocalDate.now()).append(", ").append(machine()).append("\n\n");
        text.append("| benchmark | score | ± | unit | ops/s | bytes/op |\n|---|---:|---:|---|---:|---:|\n");
        measures.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> text.append(String.format(
                Locale.ROOT, "| %s | %.1f | %.1f | %s | %.0f | %.0f |%n", entry.getKey(), entry.getValue().nanos(),
                entry.getValue().error(), entry.getValue().unit(), entry.getValue().perSecond(),
                entry.getValue().bytes())));
        text.append("\n| case | ratio | target | met |\n|---|---:|---|---|\n");
        Measure transactional = measures.get("transactionalAlone");
        for (Comparison comparison : COMPARISONS) {
            Measure measured = measures.get(comparison.benchmark());
            Measure baseline = measures.get(comparison.baseline());
            if (measured == null || baseline == null || (comparison.addedCost() && transactional == null)) {
                continue;
            }
            double added = comparison.addedCost() ? measured.nanos() - transactional.nanos() : Double.NaN;
            double baselineAdded = comparison.addedCost() ? baseline.nanos() - transactional.nanos() : Double.NaN;
            double ratio = comparison.throughput() ? measured.perSecond() / baseline.perSecond()
                    : comparison.addedCost() ? added / baselineAdded
                    : measured.nanos() / baseline.nanos();
            // a baseline that adds nothing (or, by noise, less than nothing) leaves no ratio to judge
            boolean comparable = !comparison.addedCost() || baselineAdded > 0;
            text.append(String.format(Locale.ROOT, "| %s | %.2fx %s | %s | %s |%n", comparison.label(), ratio,
                    comparison.addedCost() ? String.format(Locale.ROOT,
                            "(added over @Transactional alone: %.0f ns vs %.0f ns)", added, baselineAdded)
                            : (comparison.throughput() ? "the ops/s of " : "of ") + comparison.baseline(),
                    comparison.target().isEmpty() ? "-" : comparison.target(),
                    comparison.target().isEmpty() ? "-" : !comparable ? "n/a" : comparison.met().test(ratio) ? "yes"
                            : "NO"));
        }
        Measure scope = measures.get("scopeWithRollbackAndDispatch");
        if (scope != null) {
            text.append(String.format(Locale.ROOT, "| 2 allocation per scope | %.0f bytes/op | <= 256 | %s |%n",
                    scope.bytes(), Math.round(scope.bytes()) <= 256 ? "yes" : "NO"));
        }
        return text.toString();
    }

    /** Case 8's commit-to-acknowledgement latencies, as the benchmarks wrote them; nothing when none ran. */
    static String latencies(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        StringBuilder text = new StringBuilder("\n| case 8, commit to broker acknowledgement | messages | p50 | p99 | max |"
                + "\n|---|---:|---:|---:|---:|\n");
        for (String line : Files.readAllLines(file)) {
            String[] columns = line.split("\t");
            if (columns.length == 5) {
                text.append(String.format(Locale.ROOT, "| %s | %s | %s us | %s us | %s us |%n", (Object[]) columns));
            }
        }
        return text.toString();
    }

    private static String machine() {
        List<String> parts = new ArrayList<>();
        parts.add(Runtime.getRuntime().availableProcessors() + " cores");
        try {
            Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .findFirst().ifPresent(line -> parts.add(line.substring(line.indexOf(':') + 1).trim()));
        }
        catch (IOException | RuntimeException ignored) {
            // not on Linux: the core count is enough
        }
        parts.add(Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB max heap");
        parts.add("JDK " + Runtime.version() + " (" + ManagementFactory.getRuntimeMXBean().getVmName() + ")");
        return String.join(", ", parts);
    }
}
