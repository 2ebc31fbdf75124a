package io.github.compensation.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.compensation.spi.CompensationScope;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import io.github.compensation.Outcome;
import io.github.compensation.RetrySpec;
import io.github.compensation.ScopeDefinition;
import io.github.compensation.spi.ScopeExecutionListener;
import io.github.compensation.spi.ScopeListener;
import io.github.compensation.CommandStatus;
import io.github.compensation.ScopeReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class InMemoryScopeStoreTest {

    private final InMemoryScopeStore store = new InMemoryScopeStore(2, 10, Clock.systemUTC());
    private final CompensationTemplate template = CompensationTemplate.builder().listener(store)
            .defaultRetry(RetrySpec.of(2, Duration.ZERO)).build();

    private String rollBack(String name, AtomicInteger failuresLeft) {
        String[] id = new String[1];
        assertThatThrownBy(() -> template.execute(name, () -> {
            id[0] = Compensations.currentScope().id();
            Compensations.rollbackCommands().append("cancel flight", () -> {
                if (failuresLeft.getAndDecrement() > 0) {
                    throw new IllegalStateException("flights down");
                }
            });
            throw new IllegalArgumentException("card declined");
        })).hasMessage("card declined");
        return id[0];
    }

    @Test
    void o1FailedCompensationIsKeptAsNeedingAttentionAndRetrySucceedsWithTheSameRetrySettings() {
        AtomicInteger failuresLeft = new AtomicInteger(3);
        String id = rollBack("TripService.book", failuresLeft);

        StoredScope failed = store.get(id).orElseThrow();
        assertThat(failed.state()).isEqualTo(ScopeState.FAILED);
        assertThat(failed.retryable()).isTrue();
        assertThat(failed.report().commands().get(0).attempts()).isEqualTo(2);
        assertThat(store.find(ScopeQuery.needingAttention())).extracting(StoredScope::id).containsExactly(id);

        StoredScope afterRetry = store.retry(id, "ops", null).orElseThrow();
        assertThat(afterRetry.state()).isEqualTo(ScopeState.RESOLVED);
        assertThat(afterRetry.report().commands().get(0).status()).isEqualTo(CommandStatus.DONE);
        assertThat(afterRetry.report().commands().get(0).attempts()).isEqualTo(2);
        assertThat(afterRetry.report().commands().get(0).maxAttempts()).isEqualTo(2);
        assertThat(store.find(ScopeQuery.needingAttention())).isEmpty();
        assertThat(store.get(id).orElseThrow().state()).isEqualTo(ScopeState.RESOLVED);
        assertThatThrownBy(() -> store.retry(id, "ops", null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has nothing to retry");
    }

    @Test
    void o1RetryThatFailsAgainKeepsTheScopeFailedWithTheNewAttempts() {
        String id = rollBack("TripService.book", new AtomicInteger(10));

        StoredScope again = store.retry(id, "ops", null).orElseThrow();

        assertThat(again.state()).isEqualTo(ScopeState.FAILED);
        assertThat(again.retryable()).isTrue();
        assertThat(again.report().commands().get(0).error()).hasMessage("flights down");
    }

    @Test
    void o1ResolveAndDiscardTakeTheScopeOutOfTheAttentionListAndLetGoOfItsCommands() {
        String first = rollBack("A.a", new AtomicInteger(10));
        String second = rollBack("B.b", new AtomicInteger(10));

        assertThat(store.resolve(first, "ops", "cancelled by phone").orElseThrow().state()).isEqualTo(ScopeState.RESOLVED);
        assertThat(store.discard(second, "ops", null).orElseThrow().state()).isEqualTo(ScopeState.DISCARDED);

        assertThat(store.find(ScopeQuery.needingAttention())).isEmpty();
        assertThat(store.get(first).orElseThrow().latestNote()).isEqualTo("cancelled by phone");
        assertThatThrownBy(() -> store.retry(first, "ops", null)).isInstanceOf(IllegalStateException.class);
        assertThat(store.resolve("no-such-id", "ops", null)).isEmpty();
        assertThat(store.counts()).containsEntry(ScopeState.RESOLVED, 1L).containsEntry(ScopeState.DISCARDED, 1L)
                .containsEntry(ScopeState.FAILED, 0L);
    }

    @Test
    void o1HistoryIsBoundedButScopesNeedingAttentionAreKept() {
        String failed = rollBack("A.a", new AtomicInteger(10));
        for (int i = 0; i < 5; i++) {
            template.execute("Ok.ok", () -> null);
        }

        assertThat(store.find(ScopeQuery.all())).hasSize(3);
        assertThat(store.get(failed)).isPresent();
    }

    @Test
    void o3ScopeNotedFromTheHistoryIsKeptOnceAsTheNewest() {
        String first = template.execute("Ok.first", () -> Compensations.currentScope().id());
        String second = template.execute("Ok.second", () -> Compensations.currentScope().id());

        store.note(first, "ops", "checked");
        String third = template.execute("Ok.third", () -> Compensations.currentScope().id());

        assertThat(store.find(ScopeQuery.all())).extracting(StoredScope::id).containsExactlyInAnyOrder(first, third);
        assertThat(store.get(first).orElseThrow().state()).isEqualTo(ScopeState.SETTLED);
        assertThat(store.get(first).orElseThrow().latestNote()).isEqualTo("checked");
        assertThat(store.get(second)).isEmpty();
    }

    @Test
    void o1UnknownOutcomeLeavesCompensationsPendingAndResumeRunsThem() {
        List<String> calls = new ArrayList<>();
        CompensationTemplate unknown = CompensationTemplate.builder().listener(store)
                .transactionBridge(new io.github.compensation.spi.TransactionBridge() {
                    @Override
                    public boolean settleOnCompletion(java.util.function.Consumer<Outcome> settle) {
                        settle.accept(Outcome.UNKNOWN);
                        return true;
                    }

                    @Override
                    public void runDetached(Runnable action) {
                        action.run();
                    }
                }).build();
        unknown.execute("Trip.book", () -> {
            Compensations.rollbackCommands().append("cancel flight", () -> calls.add("cancel flight"));
            return null;
        });

        StoredScope pending = store.find(ScopeQuery.needingAttention()).get(0);
        assertThat(pending.state()).isEqualTo(ScopeState.PENDING);
        assertThat(pending.report().commands().get(0).status()).isEqualTo(CommandStatus.PENDING);
        assertThat(calls).isEmpty();

        StoredScope resumed = store.retry(pending.id(), "ops", null).orElseThrow();

        assertThat(calls).containsExactly("cancel flight");
        assertThat(resumed.state()).isEqualTo(ScopeState.RESOLVED);
        assertThat(resumed.report().outcome()).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void o1QueryFiltersByStateAndAge() {
        Instant[] now = {Instant.parse("2026-01-01T10:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        InMemoryScopeStore timed = new InMemoryScopeStore(10, 10, clock);
        ScopeReport report = new ScopeReport("old", "A.a", now[0], Duration.ZERO, Outcome.UNKNOWN, null, List.of());
        timed.scopeFinished(report);
        now[0] = now[0].plus(Duration.ofHours(2));

        assertThat(timed.find(new ScopeQuery(EnumSet.of(ScopeState.PENDING), Duration.ofHours(1), null, 10)))
                .hasSize(1);
        assertThat(timed.find(new ScopeQuery(EnumSet.of(ScopeState.PENDING), null, Duration.ofHours(1), 10)))
                .isEmpty();
        assertThat(timed.find(new ScopeQuery(EnumSet.of(ScopeState.FAILED), null, null, 10))).isEmpty();
    }

    @Test
    void o2ListenersSeeTheScopeOpenAndCloseOnTheCallersThreadWithItsAttributes() {
        List<String> events = new ArrayList<>();
        ScopeListener reports = report -> events.add("finished " + report.outcome());
        ScopeExecutionListener listener = new ScopeExecutionListener() {
            @Override
            public void beforeScope(CompensationScope scope) {
                events.add("opened bound=" + (Compensations.currentScope() == scope));
                scope.setAttribute("trace", "t-1");
            }

            @Override
            public void afterScope(CompensationScope scope, @Nullable Outcome outcome, @Nullable Throwable failure) {
                events.add("closed " + scope.getAttribute("trace") + " " + outcome);
            }
        };
        CompensationTemplate observed = CompensationTemplate.builder().listener(reports)
                .executionListener(listener).build();

        observed.execute("A.a", () -> {
            Compensations.rollbackCommands().appendCleanup("cleanup",
                    () -> events.add("command sees " + Compensations.currentScope().getAttribute("trace")));
            return null;
        });

        assertThat(events).containsExactly("opened bound=true", "command sees t-1", "finished COMMITTED",
                "closed t-1 COMMITTED");
    }

    @Test
    void o3ResolvingOrDiscardingAScopeThatNeedsNobodyIsRefusedAndChangesNothing() {
        String committed = template.execute("Ok.ok", () -> Compensations.currentScope().id());
        StoredScope before = store.get(committed).orElseThrow();

        assertThatThrownBy(() -> store.resolve(committed, "ops", "done by hand"))
                .isInstanceOf(RefusedActionException.class).hasMessageContaining("needs nobody: it is settled");
        assertThatThrownBy(() -> store.discard(committed, "ops", null))
                .isInstanceOf(RefusedActionException.class).hasMessageContaining("nothing to discard");

        assertThat(store.get(committed).orElseThrow()).isEqualTo(before);
    }

    @Test
    void o3EveryNoteIsKeptWithWhoAndWhenInsteadOfOverwritten() {
        String id = rollBack("TripService.book", new AtomicInteger(10));

        store.note(id, "alice", "calling the airline");
        store.resolve(id, "bob", "cancelled by phone, ticket 4711");
        assertThatThrownBy(() -> store.resolve(id, "carol", "second try")).isInstanceOf(RefusedActionException.class);
        store.note(id, "carol", "confirmed by mail");

        assertThat(store.get(id).orElseThrow().history())
                .extracting(ScopeEvent::by, ScopeEvent::action, ScopeEvent::note)
                .containsExactly(tuple("alice", ScopeAction.NOTE, "calling the airline"),
                        tuple("bob", ScopeAction.RESOLVE, "cancelled by phone, ticket 4711"),
                        tuple("carol", ScopeAction.NOTE, "confirmed by mail"));
        assertThat(store.get(id).orElseThrow().history()).allSatisfy(event -> assertThat(event.at()).isNotNull());
    }

    @Test
    void o3RetryKeepsTheScopesStartDurationAndEarlierAttempts() {
        String id = rollBack("TripService.book", new AtomicInteger(3));
        StoredScope failed = store.get(id).orElseThrow();

        StoredScope retried = store.retry(id, "alice", "airline is back").orElseThrow();

        assertThat(retried.report().startedAt()).isEqualTo(failed.report().startedAt());
        assertThat(retried.report().duration()).isEqualTo(failed.report().duration());
        assertThat(retried.history()).singleElement().satisfies(event -> {
            assertThat(event.action()).isEqualTo(ScopeAction.RETRY);
            assertThat(event.by()).isEqualTo("alice");
            assertThat(event.retried()).singleElement().satisfies(command -> {
                assertThat(command.index()).isZero();
                assertThat(command.before()).isEqualTo(failed.report().commands().get(0));
            });
        });
    }
}
