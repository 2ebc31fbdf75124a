package io.github.compensation.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.compensation.CommandReport;
import io.github.compensation.CommandStatus;
import io.github.compensation.Outcome;
import io.github.compensation.ScopeDefinition;
import io.github.compensation.ScopeReport;
import io.github.compensation.spi.ScopeListener;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** A2 without a database: one scope per subscription, kept in the Reactor context. */
class ReactiveScopesTest {

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<ScopeReport> reports = Collections.synchronizedList(new ArrayList<>());
    private final CompensationTemplate template = CompensationTemplate.builder()
            .listeners(List.<ScopeListener>of(reports::add)).build();
    private final ReactiveScopes scopes = new ReactiveScopes(template);
    private final ReactiveRollbackCommands rollback = ReactiveRollbackCommands.instance();
    private final ReactiveDispatchCommands dispatch = ReactiveDispatchCommands.instance();

    private Mono<String> reserve(String what) {
        return Mono.fromSupplier(() -> what + "-1")
                .flatMap(id -> rollback.append("cancel " + id, () -> Mono.fromRunnable(() -> calls.add("cancel " + id)))
                        .then(dispatch.append("announce " + id, () -> Mono.fromRunnable(() -> calls.add("announce " + id))))
                        .thenReturn(id));
    }

    @Test
    void a2_errorSignalRunsTheCompensationsBeforeTheSameErrorReachesTheSubscriber() {
        IllegalStateException refused = new IllegalStateException("hotel refused");
        Mono<String> booking = scopes.mono(ScopeDefinition.named("Trips.book"),
                reserve("flight").then(reserve("hotel")).then(Mono.error(refused)));

        StepVerifier.create(booking)
                .consumeErrorWith(error -> {
                    assertThat(error).isSameAs(refused);
                    assertThat(calls).as("at the time the error arrives").containsExactly("cancel hotel-1",
                            "cancel flight-1");
                })
                .verify(Duration.ofSeconds(10));
        assertThat(reports).singleElement().extracting(ScopeReport::outcome).isEqualTo(Outcome.ROLLED_BACK);
    }

    @Test
    void a2_completionWithoutATransactionDispatchesBeforeTheValueReachesTheSubscriber() {
        Mono<String> booking = scopes.mono(ScopeDefinition.named("Trips.book"), reserve("flight"));

        StepVerifier.create(booking)
                .assertNext(id -> assertThat(calls).containsExactly("announce flight-1"))
                .verifyComplete();
        assertThat(calls).containsExactly("announce flight-1");
    }

    @Test
    void a2_eachSubscriptionHasAScopeOfItsOwn() {
        Mono<String> booking = scopes.mono(ScopeDefinition.named("Trips.book"), reserve("flight"));

        booking.block(Duration.ofSeconds(10));
        booking.block(Duration.ofSeconds(10));

        assertThat(reports).hasSize(2).extracting(ScopeReport::id).doesNotHaveDuplicates();
        assertThat(calls).containsExactly("announce flight-1", "announce flight-1");
    }

    @Test
    void a2_cancellationCompensatesByDefault() {
        Sinks.One<String> never = Sinks.one();
        Disposable subscription = scopes.mono(ScopeDefinition.named("Trips.book"),
                reserve("flight").then(never.asMono())).subscribe();
        await().atMost(Duration.ofSeconds(10)).until(() -> never.currentSubscriberCount() > 0);

        subscription.dispose();

        await().atMost(Duration.ofSeconds(10)).until(() -> reports.size() == 1);
        ScopeReport report = reports.get(0);
        assertThat(report.outcome()).as("a cancellation is an outcome of its own").isEqualTo(Outcome.CANCELLED);
        assertThat(report.cause()).isInstanceOf(CancellationException.class);
        assertThat(report.render()).contains("was cancelled");
        assertThat(calls).containsExactly("cancel flight-1");
    }

    @Test
    void a2_cancellationPolicyReportLeavesCompensationsPendingForAPerson() {
        ReactiveScopes reporting = new ReactiveScopes(template, CancellationPolicy.REPORT);
        Sinks.One<String> never = Sinks.one();
        Disposable subscription = reporting.mono(ScopeDefinition.named("Trips.book"),
                reserve("flight").then(never.asMono())).subscribe();
        await().atMost(Duration.ofSeconds(10)).until(() -> never.currentSubscriberCount() > 0);

        subscription.dispose();

        await().atMost(Duration.ofSeconds(10)).until(() -> reports.size() == 1);
        assertThat(reports.get(0).outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(reports.get(0).commands()).extracting(CommandReport::status)
                .containsExactly(CommandStatus.PENDING, CommandStatus.DISCARDED);
        assertThat(calls).isEmpty();
    }

    @Test
    void a2_n3_1000ConcurrentSubscriptionsOnManyThreadsNeverSeeEachOthersCommands() {
        int subscriptions = 1_000;
        Flux<String> all = Flux.range(0, subscriptions).flatMap(index -> scopes.mono(
                ScopeDefinition.named("Trips.book"),
                Mono.delay(Duration.ofMillis(ThreadLocalRandom.current().nextInt(5)), Schedulers.parallel())
                        .then(rollback.append("cancel " + index, () -> Mono.fromRunnable(() -> calls.add("c" + index))))
                        .publishOn(Schedulers.boundedElastic())
                        .then(dispatch.append("announce " + index, () -> Mono.fromRunnable(() -> calls.add("a" + index))))
                        .then(index % 3 == 0 ? Mono.error(new IllegalStateException("failed " + index))
                                : Mono.just("trip " + index)))
                .onErrorResume(IllegalStateException.class, failure -> Mono.just("failed")), subscriptions);

        assertThat(all.collectList().block(Duration.ofSeconds(60))).hasSize(subscriptions);

        assertThat(reports).hasSize(subscriptions);
        for (ScopeReport report : reports) {
            List<String> descriptions = report.commands().stream().map(CommandReport::description).toList();
            String index = descriptions.get(0).substring("cancel ".length());
            assertThat(descriptions).as(report.render()).containsExactly("cancel " + index, "announce " + index);
        }
        Map<Character, Long> byKind = calls.stream().collect(Collectors.groupingBy(call -> call.charAt(0),
                Collectors.counting()));
        long failed = IntStream.range(0, subscriptions).filter(index -> index % 3 == 0).count();
        assertThat(byKind).containsEntry('c', failed).containsEntry('a', subscriptions - failed);
        assertThat(Compensations.currentScope()).isNull();
    }

    @Test
    void a2_aFluxWithManyElementsPassesThemOnAndCompensatesEveryOneNewestFirst() {
        int elements = 10_000;
        IllegalStateException lost = new IllegalStateException("connection lost");
        Flux<Integer> imports = scopes.flux(ScopeDefinition.named("Rows.importAll"), Flux.range(0, elements)
                .concatMap(row -> rollback.append("delete " + row, () -> Mono.fromRunnable(() -> calls.add("" + row)))
                        .thenReturn(row))
                .concatWith(Mono.error(lost)));

        StepVerifier.create(imports)
                .expectNextCount(elements)
                .consumeErrorWith(error -> {
                    assertThat(error).isSameAs(lost);
                    assertThat(calls).hasSize(elements);
                })
                .verify(Duration.ofSeconds(60));
        List<String> newestFirst = IntStream.range(0, elements).mapToObj(index -> "" + (elements - 1 - index))
                .toList();
        assertThat(calls).isEqualTo(newestFirst);
    }

    @Test
    void a2_aFluxThatCompletesDispatchesOnceAfterItsLastElement() {
        Flux<Integer> rows = scopes.flux(ScopeDefinition.named("Rows.importAll"), Flux.range(0, 1_000)
                .concatMap(row -> row == 999
                        ? dispatch.append("imported", () -> Mono.fromRunnable(() -> calls.add("imported"))).thenReturn(row)
                        : Mono.just(row)));

        StepVerifier.create(rows.map(row -> calls.size()))
                .recordWith(ArrayList::new)
                .expectNextCount(1_000)
                .consumeRecordedWith(dispatchedWhenEmitted -> assertThat(dispatchedWhenEmitted).containsOnly(0))
                .verifyComplete();
        assertThat(calls).containsExactly("imported");
    }

    @Test
    void a2_n1_aScopeSubscribedInsideAnotherJoinsItAndFollowsItsFate() {
        IllegalStateException later = new IllegalStateException("payment failed");
        Mono<String> inner = scopes.mono(ScopeDefinition.named("Flights.reserve"), reserve("flight"));
        Mono<String> outer = scopes.mono(ScopeDefinition.named("Trips.book"), inner.then(Mono.error(later)));

        StepVerifier.create(outer).expectErrorMatches(error -> error == later).verify(Duration.ofSeconds(10));

        assertThat(calls).containsExactly("cancel flight-1");
        assertThat(reports).singleElement().extracting(ScopeReport::name).isEqualTo("Trips.book");
    }

    @Test
    void a2_e1_registeringWithoutAScopeInTheContextFailsNamingTheAnnotation() {
        StepVerifier.create(reserve("flight"))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("@RollbackOnceFailed"))
                .verify(Duration.ofSeconds(10));
    }

}
