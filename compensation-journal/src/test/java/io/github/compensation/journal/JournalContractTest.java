package io.github.compensation.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.store.ScopeQuery;
import io.github.compensation.store.ScopeState;
import io.github.compensation.store.StoredScope;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the journal guarantees, proved on each supported database (subclasses choose the database): J2 write-ahead
 * compensations with the marker row, J3 outbox, J4 claims, leases and idempotency keys, J5 schema scripts.
 */
abstract class JournalContractTest {

    abstract DataSource dataSource();

    JournalFixture fixture;
    Remote remote;
    Journal journal;
    CompensationTemplate template;
    DurableRollbackCommands rollback;
    DurableDispatchCommands dispatch;

    @BeforeEach
    void setUp() {
        fixture = new JournalFixture(dataSource());
        remote = new Remote();
        fixture.bean("remote", remote);
        journal = fixture.journal("instance-a");
        template = fixture.template(journal);
        rollback = JournalCommands.rollback(journal);
        dispatch = JournalCommands.dispatch(journal);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    /** A booking: a business row, a remote reservation undone by a durable compensation, a durable dispatch. */
    void book(CompensationTemplate scopes, String id, boolean fail) {
        scopes.execute("Trips.book", () -> fixture.tx.execute(status -> {
            fixture.jdbc.update("insert into " + fixture.prefix + "business (id) values (?)", id);
            remote.reserve(id);
            rollback.append(Remote.class).cancel(id);
            dispatch.append(Remote.class).publish("booked " + id);
            if (fail) {
                throw new IllegalStateException("payment declined");
            }
            return null;
        }));
    }

    @Test
    void schemaScriptIsRerunnableAndUsesTheTablePrefix_J5() {
        JournalSchema.initialize(dataSource(), fixture.dialect, fixture.prefix);
        assertThat(JournalSchema.statements(fixture.dialect, fixture.prefix))
                .allSatisfy(statement -> assertThat(statement).doesNotContain("compensation_"))
                .anySatisfy(statement -> assertThat(statement).contains(fixture.prefix + "command"));
        assertThat(fixture.count("unit", "")).isZero();
        assertThat(fixture.count("marker", "")).isZero();
        assertThat(fixture.count("command", "")).isZero();
    }

    @Test
    void aCommittedScopesCompensationsAreSettledEachByItsOwnStatus_J1_J2() {
        template.execute("Trips.book", () -> fixture.tx.execute(status -> {
            fixture.jdbc.update("insert into " + fixture.prefix + "business (id) values (?)", "t9");
            rollback.append(Remote.class).cancel("t9");
            rollback.append("cancel t9 by hand", () -> remote.cancel("t9 by hand"));
            rollback.append(Remote.class).cancel("t9 again");
            return null;
        }));
        journal.flushSettlements();

        assertThat(fixture.count("command", "kind = 'COMPENSATION' and status = 'DISCARDED'"))
                .as("the recorded compensations, never run").isEqualTo(2);
        assertThat(fixture.count("command", "kind = 'COMPENSATION' and status = 'SETTLED'"))
                .as("the lambda, which could not have run after a crash either").isEqualTo(1);
        assertThat(fixture.count("command", "status in ('PENDING', 'RUNNING', 'LAMBDA')")).isZero();
        assertThat(fixture.count("unit", "state = 'COMMITTED'")).isEqualTo(1);
        assertThat(remote.count("cancel", "t9")).isZero();
    }

    @Test
    void committedScopeDispatchesOnceAndIsNeverCompensated_J2_J3() {
        book(template, "t1", false);

        assertThat(remote.count("publish", "booked t1")).isEqualTo(1);
        assertThat(remote.count("cancel", "t1")).isZero();
        assertThat(fixture.count("command", "kind = 'DISPATCH' and status = 'DONE'")).isEqualTo(1);
        assertThat(fixture.count("command", "kind = 'COMPENSATION' and status = 'DISCARDED'")).isEqualTo(1);
        assertThat(fixture.count("unit", "state = 'COMMITTED'")).isEqualTo(1);
        assertThat(fixture.count("marker", "verdict = 'C'")).isEqualTo(1);
        assertThat(fixture.recoverer("instance-b").recoverDue()).isZero();
    }

    @Test
    void rolledBackScopeIsCompensatedAndItsOutboxRowRollsBackWithIt_J2_J3() {
        assertThatThrownBy(() -> book(template, "t2", true)).hasMessage("payment declined");

        assertThat(remote.count("cancel", "t2")).isEqualTo(1);
        assertThat(remote.count("publish", "booked t2")).isZero();
        assertThat(fixture.count("command", "kind = 'DISPATCH'")).isZero();
        assertThat(fixture.count("command", "kind = 'COMPENSATION' and status = 'DONE'")).isEqualTo(1);
        assertThat(fixture.count("unit", "state = 'COMPENSATED'")).isEqualTo(1);
        assertThat(fixture.count("marker", "")).isZero();
        assertThat(fixture.count("business", "")).isZero();
    }

    @Test
    void scopeThatCrashedBeforeCommitIsCompensatedByAnotherInstance_J2_J4() {
        assertThatThrownBy(() -> book(JournalFixture.crashingTemplate(), "t3", true))
                .hasMessage("payment declined");
        assertThat(remote.count("cancel", "t3")).as("the crashed instance ran nothing").isZero();

        Journal other = fixture.recoverer("instance-b");
        assertThat(other.recoverDue()).isEqualTo(1);

        assertThat(remote.count("cancel", "t3")).isEqualTo(1);
        assertThat(fixture.count("unit", "state = 'COMPENSATED'")).isEqualTo(1);
        assertThat(fixture.count("marker", "verdict = 'A'")).isEqualTo(1);
        assertThat(other.recoverDue()).isZero();
        assertThat(other.dispatchDue()).isZero();
        assertThat(remote.count("publish", "booked t3")).isZero();
    }

    @Test
    void scopeThatCrashedAfterCommitIsNeverCompensatedAndItsDispatchIsDelivered_J2_J3() {
        book(JournalFixture.crashingTemplate(), "t4", false);
        assertThat(remote.count("publish", "booked t4")).as("the crashed instance ran nothing").isZero();

        Journal other = fixture.recoverer("instance-b");
        assertThat(other.recoverDue()).isEqualTo(1);
        assertThat(other.dispatchDue()).isEqualTo(1);

        assertThat(remote.count("cancel", "t4")).isZero();
        assertThat(remote.count("publish", "booked t4")).isEqualTo(1);
        assertThat(fixture.count("unit", "state = 'COMMITTED'")).isEqualTo(1);
        assertThat(fixture.count("command", "kind = 'COMPENSATION' and status = 'DISCARDED'")).isEqualTo(1);
        assertThat(fixture.count("business", "")).isEqualTo(1);
    }

    @Test
    void businessTransactionFencedOffByRecoveryWhileItRanCannotCommitAndItsCompensationRunsOnce_J2() throws Exception {
        CountDownLatch registered = new CountDownLatch(1);
        CountDownLatch mayCommit = new CountDownLatch(1);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<?> business = thread.submit(() -> template.execute("Trips.slow", () -> fixture.tx.execute(status -> {
                fixture.jdbc.update("insert into " + fixture.prefix + "business (id) values (?)", "t5");
                remote.reserve("t5");
                rollback.append(Remote.class).cancel("t5");
                dispatch.append(Remote.class).publish("booked t5");
                registered.countDown();
                await(mayCommit);
                return null;
            })));
            assertThat(registered.await(30, TimeUnit.SECONDS)).isTrue();

            // its lease has expired for this instance (a frozen owner): no marker yet, so recovery fences the unit off
            Journal other = fixture.recoverer("instance-b");
            assertThat(other.recoverDue()).isEqualTo(1);
            assertThat(remote.count("cancel", "t5")).isEqualTo(1);
            assertThat(fixture.count("marker", "verdict = 'A'")).isEqualTo(1);

            mayCommit.countDown();
            assertThatThrownBy(() -> business.get(30, TimeUnit.SECONDS))
                    .hasMessageContaining("fenced off by recovery")
                    .cause().hasCauseInstanceOf(org.springframework.dao.DuplicateKeyException.class);
        }
        finally {
            mayCommit.countDown();
            thread.shutdownNow();
        }
        assertThat(remote.count("cancel", "t5")).as("run by recovery, not again from memory").isEqualTo(1);
        assertThat(fixture.count("business", "")).as("the business transaction rolled back").isZero();
        assertThat(fixture.count("marker", "")).isEqualTo(1);
        assertThat(fixture.count("command", "kind = 'DISPATCH'")).isZero();
        assertThat(remote.count("publish", "booked t5")).isZero();
        assertThat(fixture.count("unit", "state = 'COMPENSATED'")).isEqualTo(1);
        assertThat(fixture.recoverer("instance-c").recoverDue()).isZero();
        assertThat(remote.count("cancel", "t5")).isEqualTo(1);
    }

    @Test
    void recoveryWaitsForABusinessTransactionThatIsCommittingAndThenSeesItCommit_J2() throws Exception {
        CountDownLatch committing = new CountDownLatch(1);
        CountDownLatch mayCommit = new CountDownLatch(1);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<?> business = thread.submit(() -> JournalFixture.crashingTemplate().execute("Trips.slow",
                    () -> fixture.tx.execute(status -> {
                        rollback.append(Remote.class).cancel("t6");
                        // runs after the journal wrote its marker in this transaction, before the commit
                        org.springframework.transaction.support.TransactionSynchronizationManager
                                .registerSynchronization(new org.springframework.transaction.support
                                        .TransactionSynchronization() {
                                    @Override
                                    public void beforeCommit(boolean readOnly) {
                                        committing.countDown();
                                        await(mayCommit);
                                    }
                                });
                        return null;
                    })));
            assertThat(committing.await(30, TimeUnit.SECONDS)).isTrue();

            Journal impatient = fixture.journal("instance-b", Clock.offset(Clock.systemUTC(), Duration.ofHours(1)),
                    settings -> new JournalSettings(settings.tablePrefix(), settings.instanceId(), settings.lease(),
                            settings.pollInterval(), settings.batchSize(), settings.dispatchMaxAttempts(),
                            settings.compensationMaxAttempts(), settings.backoffDelay(), settings.backoffMultiplier(),
                            settings.backoffMaxDelay(), Duration.ofSeconds(1)));
            impatient.recoverDue();
            assertThat(remote.count("cancel", "t6")).isZero();
            assertThat(fixture.count("unit", "state = 'OPEN'")).as("undecided while its marker is uncommitted")
                    .isEqualTo(1);

            mayCommit.countDown();
            business.get(30, TimeUnit.SECONDS);
            Journal later = fixture.journal("instance-c", Clock.offset(Clock.systemUTC(), Duration.ofHours(3)),
                    settings -> settings);
            assertThat(later.recoverDue()).isEqualTo(1);
            assertThat(remote.count("cancel", "t6")).isZero();
            assertThat(fixture.count("unit", "state = 'COMMITTED'")).isEqualTo(1);
        }
        finally {
            mayCommit.countDown();
            thread.shutdownNow();
        }
    }

    @Test
    void claimsOfADeadInstanceAreTakenOverWhenTheirLeaseExpires_J4() {
        fixture.tx.executeWithoutResult(status -> template.execute("Events.publish", () -> {
            for (int i = 0; i < 5; i++) {
                dispatch.append(Remote.class).publish("e" + i);
            }
            return null;
        }));
        // the scope above delivered them right after commit; put them back as claimed by an instance that died
        fixture.jdbc.update("update " + fixture.prefix + "command set status = 'PENDING'");
        JournalRepository store = journal.store();
        java.time.Instant now = java.time.Instant.now();
        assertThat(store.claimDueDispatches("dead-instance", now, now.plusSeconds(60), 100)).hasSize(5);

        assertThat(fixture.journal("instance-b").dispatchDue()).as("leases still held").isZero();
        assertThat(fixture.recoverer("instance-c").dispatchDue()).isEqualTo(5);
        for (int i = 0; i < 5; i++) {
            assertThat(remote.count("publish", "e" + i)).isEqualTo(2);
        }
        assertThat(fixture.count("command", "status = 'DONE'")).isEqualTo(5);
    }

    // ------------------------------------------------------------------ dispatches ordered per key (M2)

    /** Writes an outbox row of handler "ordered", then puts it in the given state. */
    private String orderedRow(String payload, @org.jspecify.annotations.Nullable String key, long seq, String status,
            java.time.Instant leaseUntil) {
        String id = java.util.UUID.randomUUID().toString();
        RecordedCall call = new RecordedCall(RecordedCall.HANDLER, null, "ordered", "java.lang.String",
                "[\"" + payload + "\"]");
        journal.store().insertDispatch(new JournalRepository.NewDispatch(id, "publish " + payload, call, "gone",
                leaseUntil, key, seq), java.time.Instant.now().minusSeconds(5));
        fixture.jdbc.update("update " + fixture.prefix + "command set status = ?, next_attempt_at = ? where id = ?",
                status, java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(1)), id);
        return id;
    }

    private java.util.List<String> claimed(String owner, boolean deadBlocksKey) {
        java.time.Instant now = java.time.Instant.now();
        return journal.store().claimDueDispatches(owner, now, now.plusSeconds(60), 100, deadBlocksKey).stream()
                .map(JournalEntry::description).sorted().toList();
    }

    @Test
    void aKeysNextDispatchIsClaimedOnlyOnceTheOneBeforeIsDoneAndADeadOneBlocksItsKey_M2() {
        java.time.Instant past = java.time.Instant.now().minusSeconds(1);
        String a1 = orderedRow("a1", "k1", 1, "PENDING", past);
        String a2 = orderedRow("a2", "k1", 2, "PENDING", past);
        orderedRow("a3", "k1", 3, "PENDING", past);
        orderedRow("b1", "k2", 1, "PENDING", past);
        orderedRow("n1", null, 0, "PENDING", past);
        orderedRow("n2", null, 0, "PENDING", past);
        JournalRepository store = journal.store();
        java.time.Instant now = java.time.Instant.now();

        assertThat(claimed("w1", true)).as("the oldest of each key, and every unordered one")
                .containsExactly("publish a1", "publish b1", "publish n1", "publish n2");
        assertThat(claimed("w2", true)).as("a1 is in flight").isEmpty();

        store.markDone(java.util.List.of(a1), now);
        assertThat(claimed("w2", true)).containsExactly("publish a2");

        store.markFailed(a2, JournalEntry.Status.PENDING, now.plusSeconds(3600), "refused", now);
        assertThat(claimed("w2", true)).as("a2 waits for its retry, a3 waits for a2").isEmpty();

        store.markFailed(a2, JournalEntry.Status.DEAD, now, "dead after 10 attempts", now);
        assertThat(claimed("w2", true)).as("a dead dispatch blocks its key").isEmpty();
        assertThat(claimed("w2", false)).as("unless dead dispatches are skipped").containsExactly("publish a3");
    }

    @Test
    void ofTwoExpiredClaimsOfOneKeyOnlyTheOlderIsTakenOver_M2_J4() {
        java.time.Instant expired = java.time.Instant.now().minusSeconds(30);
        orderedRow("d2", "k4", 2, "RUNNING", expired);
        orderedRow("d1", "k4", 1, "RUNNING", expired);

        assertThat(claimed("w1", true)).containsExactly("publish d1");
        assertThat(claimed("w2", true)).as("d1 is claimed again, with a live lease").isEmpty();
    }

    @Test
    void aDispatchWrittenClaimedYieldsToAnEarlierUnfinishedOneOfItsKeyOrToAnotherInstance_M2() {
        java.time.Instant live = java.time.Instant.now().plusSeconds(60);
        String mine = orderedRow("c2", "k3", 2, "RUNNING", live);
        fixture.jdbc.update("update " + fixture.prefix + "command set owner = 'me' where id = ?", mine);
        JournalRepository store = journal.store();
        String later = orderedRow("c3", "k3", 3, "RUNNING", live);
        fixture.jdbc.update("update " + fixture.prefix + "command set owner = 'me' where id = ?", later);

        assertThat(store.yieldToSameKey(mine, "me", "k3", 2, true, java.time.Instant.now()))
                .as("a later one of this instance's is no reason").isFalse();

        fixture.jdbc.update("update " + fixture.prefix + "command set owner = 'other' where id = ?", later);
        assertThat(store.yieldToSameKey(mine, "me", "k3", 2, true, java.time.Instant.now()))
                .as("another instance delivers one of the key").isTrue();
        fixture.jdbc.update("update " + fixture.prefix + "command set status = 'RUNNING', owner = 'me',"
                + " attempts = 1 where id = ?", mine);
        fixture.jdbc.update("update " + fixture.prefix + "command set status = 'DONE' where id = ?", later);

        orderedRow("c1", "k3", 1, "DEAD", live);
        assertThat(store.yieldToSameKey(mine, "me", "k3", 2, false, java.time.Instant.now()))
                .as("dead ones skipped").isFalse();
        assertThat(store.yieldToSameKey(mine, "me", "k3", 2, true, java.time.Instant.now())).isTrue();
        JournalEntry yielded = store.find(mine);
        assertThat(yielded.status()).isEqualTo(JournalEntry.Status.PENDING);
        assertThat(yielded.attempts()).as("the attempt counted when it was written is given back").isZero();
    }

    @Test
    void messagesOfOneKeyInOneTransactionGoOutInOrderAndADeadOneHoldsBackTheNextUntilResolved_M2() {
        java.util.List<String> handled = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        fixture.handlers.registerAsync("ordered", String.class, payload -> {
            handled.add(payload);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        });
        fixture.tx.executeWithoutResult(status -> template.execute("Events.publish", () -> {
            dispatch.appendHandler("ordered", "e1", "publish e1", "k");
            dispatch.appendHandler("ordered", "e2", "publish e2", "k");
            return null;
        }));
        assertThat(handled).as("e1 was recorded done as soon as it went, so e2 went right after it, not at a poll")
                .containsExactly("e1", "e2");
        journal.dispatchDue();
        assertThat(handled).as("nothing left for the worker").containsExactly("e1", "e2");

        String dead = orderedRow("e3", "k", OrderingSequence.next(Clock.systemUTC()), "DEAD",
                java.time.Instant.now());
        fixture.tx.executeWithoutResult(status -> template.execute("Events.publish", () -> {
            dispatch.appendHandler("ordered", "e4", "publish e4", "k");
            return null;
        }));
        journal.dispatchDue();
        assertThat(handled).as("e3 is dead: e4 waits").containsExactly("e1", "e2");

        assertThat(journal.markResolved(dead, "sent by hand")).isTrue();
        journal.dispatchDue();
        assertThat(handled).containsExactly("e1", "e2", "e4");
        assertThat(fixture.count("command", "status = 'DONE'")).isEqualTo(3);
    }

    @Test
    void aBatchStartsEveryAsynchronousHandlerBeforeWaitingForAny_M2() {
        java.util.List<java.util.concurrent.CompletableFuture<Void>> started = new java.util.ArrayList<>();
        fixture.handlers.registerAsync("ordered", String.class, payload -> {
            var sent = new java.util.concurrent.CompletableFuture<Void>();
            started.add(sent);
            if (started.size() == 3) {
                started.forEach(future -> future.complete(null));
            }
            return sent;
        });
        java.time.Instant past = java.time.Instant.now().minusSeconds(1);
        orderedRow("f1", "k1", 1, "PENDING", past);
        orderedRow("f2", "k2", 1, "PENDING", past);
        orderedRow("f3", null, 0, "PENDING", past);
        Journal shortLease = fixture.journal("instance-s", Clock.systemUTC(),
                settings -> settings.withLease(Duration.ofSeconds(3)));

        assertThat(shortLease.dispatchDue()).isEqualTo(3);

        assertThat(fixture.count("command", "status = 'DONE'")).as("none waited for its own acknowledgement first")
                .isEqualTo(3);
    }

    /**
     * Journals one dispatch in a transaction; {@code duringTransaction} runs inside it, {@code afterCommit} between its
     * commit (where the outbox row is written and claimed) and the scope's delivery.
     */
    private void publishInALongTransaction(CompensationTemplate scopes, DurableDispatchCommands outbox, String event,
            Runnable duringTransaction, Runnable afterCommit) {
        scopes.execute("Events.publish", () -> fixture.tx.execute(status -> {
            outbox.append(Remote.class).publish(event);
            duringTransaction.run();
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            afterCommit.run();
                        }
                    });
            return null;
        }));
    }

    @Test
    void dispatchWhoseDeliveryStartsAfterHalfItsClaimRenewsTheClaimAndIsDeliveredOnce_J3_J4() {
        MutableClock clock = new MutableClock();
        Journal slow = fixture.journal("instance-slow", clock, settings -> settings);
        publishInALongTransaction(fixture.template(slow), JournalCommands.dispatch(slow), "late", () -> { },
                () -> clock.advance(fixture.settings("x").lease().multipliedBy(3).dividedBy(4)));

        assertThat(remote.count("publish", "late")).isEqualTo(1);
        assertThat(fixture.count("command", "status = 'DONE'")).isEqualTo(1);
        assertThat(fixture.recoverer("instance-b").dispatchDue()).as("nothing left to take over").isZero();
        assertThat(remote.count("publish", "late")).isEqualTo(1);
    }

    @Test
    void dispatchTakenOverByAnotherInstanceBeforeItsScopeDeliversItIsNotDeliveredTwice_J3_J4() {
        MutableClock clock = new MutableClock();
        Journal slow = fixture.journal("instance-slow", clock, settings -> settings);
        Journal other = fixture.recoverer("instance-b");
        publishInALongTransaction(fixture.template(slow), JournalCommands.dispatch(slow), "contested", () -> { },
                () -> {
                    clock.advance(Duration.ofHours(2));
                    assertThat(other.dispatchDue()).as("the claim has expired: taken over").isEqualTo(1);
                });

        assertThat(remote.count("publish", "contested")).as("delivered by the other instance only").isEqualTo(1);
        assertThat(fixture.count("command", "status = 'DONE'")).isEqualTo(1);
    }

    @Test
    void everyAttemptOfACommandSeesTheSameIdempotencyKey_J4() {
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        remote.failing = call -> call.startsWith("publish") && attempts.incrementAndGet() <= 2;
        fixture.tx.executeWithoutResult(status -> template.execute("Events.publish", () -> {
            dispatch.append(Remote.class).publish("k1");
            return null;
        }));
        Journal worker = fixture.journal("instance-b");
        worker.dispatchDue();
        worker.dispatchDue();

        String id = fixture.jdbc.queryForObject("select id from " + fixture.prefix + "command", String.class);
        assertThat(remote.keys).containsExactly("publish k1 key=" + id, "publish k1 key=" + id,
                "publish k1 key=" + id);
        assertThat(remote.count("publish", "k1")).isEqualTo(1);
    }

    @Test
    void scopeWithoutTransactionCommitsWhenItsMarkerIsWrittenAtSettlement_J2_J3() {
        template.execute("Trips.book", () -> {
            remote.reserve("n1");
            rollback.append(Remote.class).cancel("n1");
            dispatch.append(Remote.class).publish("booked n1");
            return null;
        });
        assertThat(remote.count("publish", "booked n1")).isEqualTo(1);
        assertThat(fixture.count("command", "kind = 'DISPATCH' and status = 'DONE'")).isEqualTo(1);
        assertThat(fixture.count("unit", "state = 'COMMITTED'")).isEqualTo(1);
        assertThat(fixture.count("marker", "verdict = 'C'")).isEqualTo(1);

        JournalFixture.crashingTemplate().execute("Trips.book", () -> {
            remote.reserve("n2");
            rollback.append(Remote.class).cancel("n2");
            dispatch.append(Remote.class).publish("booked n2");
            return null;
        });
        Journal other = fixture.recoverer("instance-b");
        assertThat(other.recoverDue()).isEqualTo(1);
        assertThat(other.dispatchDue()).isZero();

        assertThat(remote.count("cancel", "n1")).isZero();
        assertThat(remote.count("cancel", "n2")).as("died before its commit point: compensated").isEqualTo(1);
        assertThat(remote.count("publish", "booked n2")).isZero();
    }

    @Test
    void finishedEntriesArePurgedAfterRetentionWhileThoseNeedingAPersonStay_J3() {
        book(template, "p1", false);
        assertThatThrownBy(() -> book(template, "p2", true)).hasMessage("payment declined");
        remote.failing = call -> true;
        book(template, "p3", false);
        fixture.journal("instance-b", Clock.systemUTC(), settings -> settings.withMaxAttempts(1, 1)).dispatchDue();
        assertThat(fixture.count("command", "status = 'DEAD'")).isEqualTo(1);

        assertThat(journal.store().purgeFinished(java.time.Instant.now().minusSeconds(3600))).as("too recent")
                .isZero();
        journal.store().purgeFinished(java.time.Instant.now().plusSeconds(1));

        assertThat(fixture.count("command", "")).as("only the dead dispatch is left").isEqualTo(1);
        assertThat(fixture.count("command", "status = 'DEAD'")).isEqualTo(1);
        assertThat(fixture.count("unit", "")).isZero();
        assertThat(fixture.count("marker", "")).isZero();
        assertThat(journal.store().findByStatus(JournalEntry.Status.DEAD, 10)).singleElement()
                .satisfies(entry -> assertThat(entry.description()).isEqualTo("Remote.publish"));
    }

    @Test
    void outboxRowsOfAScopeThatFailedAreDroppedEvenWhenTheTransactionCommits_N1_D5_J3() {
        io.github.compensation.ScopeDefinition rollbackOnly = new io.github.compensation.ScopeDefinition(
                "Helper.rollbackOnly", true, false, io.github.compensation.Propagation.REQUIRED,
                io.github.compensation.RollbackRules.ALL, null);
        fixture.tx.executeWithoutResult(status -> {
            template.execute("Outer.run", () -> {
                dispatch.append(Remote.class).publish("outer");
                try {
                    template.execute("Inner.run", () -> {
                        dispatch.append(Remote.class).publish("inner");
                        throw new IllegalStateException("inner failed");
                    });
                }
                catch (IllegalStateException expected) {
                    // the outer scope goes on
                }
                try {
                    template.execute(rollbackOnly, () -> {
                        dispatch.append(Remote.class).publish("queued in outer by a rollback-only scope");
                        throw new IllegalStateException("helper failed");
                    });
                }
                catch (IllegalStateException expected) {
                    // the dispatch belongs to the outer scope, which commits
                }
                return null;
            });
            try {
                template.execute("Sibling.run", () -> {
                    dispatch.append(Remote.class).publish("sibling");
                    throw new IllegalStateException("sibling failed");
                });
            }
            catch (IllegalStateException expected) {
                // the caller's transaction commits anyway
            }
        });
        Journal worker = fixture.recoverer("instance-b");
        worker.dispatchDue();
        worker.recoverDue();

        assertThat(remote.count("publish", "outer")).isEqualTo(1);
        assertThat(remote.count("publish", "queued in outer by a rollback-only scope")).isEqualTo(1);
        assertThat(remote.count("publish", "inner")).isZero();
        assertThat(remote.count("publish", "sibling")).isZero();
        assertThat(fixture.count("command", "kind = 'DISPATCH'")).isEqualTo(2);
    }

    /**
     * A scope whose outbox row an inner transaction commits, and which then runs past the row's claim while another
     * instance's worker polls; it ends as {@code fail} says.
     */
    private void scopeOutlivingItsInnerTransaction(String event, boolean fail) {
        MutableClock clock = new MutableClock();
        Journal owner = fixture.journal("instance-a", clock, settings -> settings);
        DurableDispatchCommands outbox = JournalCommands.dispatch(owner);
        Journal worker = fixture.journal("instance-b", clock, settings -> settings);
        Runnable scope = () -> fixture.template(owner).execute("Trips.book", () -> {
            fixture.tx.executeWithoutResult(status -> outbox.append(Remote.class).publish(event));
            assertThat(fixture.count("command", "kind = 'DISPATCH'")).as("the inner transaction committed")
                    .isEqualTo(1);
            for (int poll = 0; poll < 3; poll++) {
                clock.advance(fixture.settings("x").lease().dividedBy(2));
                owner.renewLeases();
                assertThat(worker.dispatchDue()).as("outcome not known yet: not the worker's to deliver").isZero();
            }
            if (fail) {
                throw new IllegalStateException("payment declined after the inner transaction");
            }
            return null;
        });
        if (fail) {
            assertThatThrownBy(scope::run).hasMessage("payment declined after the inner transaction");
        }
        else {
            scope.run();
        }
        clock.advance(Duration.ofHours(1));
        assertThat(worker.dispatchDue()).as("nothing left to take over").isZero();
    }

    @Test
    void outboxRowOfAnInnerTransactionIsDroppedWhenItsScopeFailsAfterThatTransactionCommitted_D5_J3() {
        scopeOutlivingItsInnerTransaction("inner, scope failed", true);

        assertThat(remote.count("publish", "inner, scope failed")).isZero();
        assertThat(fixture.count("command", "kind = 'DISPATCH'")).isZero();
    }

    @Test
    void outboxRowOfAnInnerTransactionIsDeliveredOnceWhenItsScopeCommitsLater_D1_J3() {
        scopeOutlivingItsInnerTransaction("inner, scope committed", false);

        assertThat(remote.count("publish", "inner, scope committed")).isEqualTo(1);
        assertThat(fixture.count("command", "kind = 'DISPATCH' and status = 'DONE'")).isEqualTo(1);
    }

    @Test
    void unknownOutcomeIsKeptForAnOperatorAndResolvedFromTheMarker_T3_J2() {
        String committed = scopeEndingUnknown("u1", false);
        String rolledBack = scopeEndingUnknown("u2", true);
        assertThat(fixture.count("unit", "state = 'UNKNOWN'")).isEqualTo(2);
        assertThat(journal.store().findUnits(JournalUnit.State.UNKNOWN, 10)).extracting(JournalUnit::id)
                .containsExactlyInAnyOrder(committed, rolledBack);
        assertThat(fixture.recoverer("instance-b").recoverDue()).as("not recovered by itself").isZero();
        assertThat(remote.count("cancel", "u1") + remote.count("cancel", "u2")).isZero();

        assertThat(journal.resolveUnknown(committed)).isEqualTo(JournalUnit.State.COMMITTED);
        assertThat(journal.resolveUnknown(rolledBack)).isEqualTo(JournalUnit.State.COMPENSATED);

        assertThat(remote.count("cancel", "u1")).isZero();
        assertThat(remote.count("cancel", "u2")).isEqualTo(1);
    }

    /** Runs a scope whose transaction commits or rolls back, then tells the journal its outcome was unknown. */
    private String scopeEndingUnknown(String id, boolean rollBack) {
        String[] scopeId = new String[1];
        try {
            JournalFixture.crashingTemplate().execute("Trips.book", () -> fixture.tx.execute(status -> {
                scopeId[0] = io.github.compensation.support.Compensations.currentScope().id();
                rollback.append(Remote.class).cancel(id);
                if (rollBack) {
                    status.setRollbackOnly();
                }
                return null;
            }));
        }
        finally {
            journal.scopeFinished(new io.github.compensation.ScopeReport(scopeId[0], "Trips.book",
                    java.time.Instant.now(), Duration.ZERO, io.github.compensation.Outcome.UNKNOWN, null,
                    java.util.List.of()));
        }
        return fixture.jdbc.queryForObject("select unit_id from " + fixture.prefix + "command where payload = ?",
                String.class, "[\"" + id + "\"]");
    }

    @Test
    void leasesOfARunningScopeAreRenewedSoNoOtherInstanceRecoversIt_J4() throws Exception {
        MutableClock clock = new MutableClock();
        Journal owner = fixture.journal("instance-a", clock, settings -> settings);
        DurableRollbackCommands ownerRollback = JournalCommands.rollback(owner);
        CountDownLatch registered = new CountDownLatch(1);
        CountDownLatch mayFinish = new CountDownLatch(1);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<?> business = thread.submit(() -> fixture.template(owner).execute("Trips.slow",
                    () -> fixture.tx.execute(status -> {
                        ownerRollback.append(Remote.class).cancel("r1");
                        registered.countDown();
                        await(mayFinish);
                        return null;
                    })));
            assertThat(registered.await(30, TimeUnit.SECONDS)).isTrue();
            for (int minute = 1; minute <= 3; minute++) {
                clock.advance(Duration.ofSeconds(50));
                assertThat(owner.renewLeases()).isEqualTo(1);
                Journal other = fixture.journal("instance-b", Clock.offset(clock, Duration.ofSeconds(30)),
                        settings -> settings);
                assertThat(other.recoverDue()).as("lease renewed at %s", clock.instant()).isZero();
            }
            mayFinish.countDown();
            business.get(30, TimeUnit.SECONDS);
            assertThat(fixture.count("unit", "state = 'COMMITTED'")).isEqualTo(1);
            assertThat(owner.renewLeases()).as("settled scopes are no longer renewed").isZero();
        }
        finally {
            mayFinish.countDown();
            thread.shutdownNow();
        }
    }

    /** A clock the test moves forward. */
    static final class MutableClock extends Clock {
        private volatile java.time.Instant now = java.time.Instant.now();

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void operationsViewListsCountsAndClosesWhatNeedsAPerson_O1_J3() {
        book(template, "O1", false);
        assertThatThrownBy(() -> book(template, "O2", true)).hasMessage("payment declined");
        // as exhausted attempts leave them: the delivered dispatch dead, the compensated unit failed
        fixture.jdbc.update("update " + fixture.prefix + "command set status = 'DEAD', last_error = 'mail down'"
                + " where kind = 'DISPATCH'");
        fixture.jdbc.update("update " + fixture.prefix + "command set status = 'FAILED', last_error = 'refused'"
                + " where kind = 'COMPENSATION' and status = 'DONE'");
        fixture.jdbc.update("update " + fixture.prefix + "unit set state = 'FAILED' where state = 'COMPENSATED'");
        JournalScopeStore ops = new JournalScopeStore(journal, Clock.systemUTC());

        assertThat(ops.counts()).containsEntry(ScopeState.FAILED, 2L).containsEntry(ScopeState.SETTLED, 1L)
                .containsEntry(ScopeState.PENDING, 0L);
        java.util.List<StoredScope> failed = ops.find(ScopeQuery.needingAttention());
        assertThat(failed).hasSize(2).allSatisfy(scope -> assertThat(scope.state()).isEqualTo(ScopeState.FAILED));
        StoredScope dead = failed.stream().filter(scope -> scope.report().commands().get(0).kind()
                == io.github.compensation.CommandKind.DISPATCH).findFirst().orElseThrow();
        assertThat(dead.report().commands().get(0).note()).isEqualTo("mail down");
        StoredScope unit = failed.stream().filter(scope -> scope != dead).findFirst().orElseThrow();
        assertThat(unit.report().name()).isEqualTo("Trips.book");
        assertThat(unit.report().commands()).singleElement().satisfies(command -> assertThat(command.note())
                .isEqualTo("refused"));
        assertThat(ops.find(new ScopeQuery(java.util.EnumSet.allOf(ScopeState.class), Duration.ofHours(1), null, 10)))
                .as("none started an hour ago").isEmpty();
        assertThat(ops.find(new ScopeQuery(java.util.EnumSet.allOf(ScopeState.class), null, Duration.ofHours(1), 2)))
                .as("limit").hasSize(2);

        assertThat(ops.resolve(unit.id(), "ops", "refunded by hand").orElseThrow().state()).isEqualTo(ScopeState.RESOLVED);
        assertThat(ops.discard(dead.id(), "ops", null).orElseThrow().state()).isEqualTo(ScopeState.DISCARDED);
        assertThatThrownBy(() -> ops.resolve(unit.id(), "ops", null)).isInstanceOf(IllegalStateException.class);
        assertThat(ops.counts()).containsEntry(ScopeState.FAILED, 0L).containsEntry(ScopeState.RESOLVED, 1L)
                .containsEntry(ScopeState.DISCARDED, 1L);
        assertThat(ops.get(unit.id()).orElseThrow().report().commands().get(0).note())
                .isEqualTo("resolved by a person: refunded by hand (was: refused)");

        journal.store().purgeFinished(java.time.Instant.now().plusSeconds(1));
        assertThat(ops.get(unit.id())).as("purged once finished").isEmpty();
        assertThat(ops.get(dead.id())).isEmpty();
    }
}
