/**
 * JMH benchmarks of the compensation scope next to Spring's own mechanisms, run by {@link BenchmarkMain}.
 */
package io.github.compensation.benchmarks;
