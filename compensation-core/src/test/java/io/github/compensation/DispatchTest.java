package io.github.compensation;

import io.github.compensation.spi.ScopeListener;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** D1 (only after commit), D2 (oldest first), D3 (failing dispatches), D5 (dropped on any other outcome). */
class DispatchTest {

    private final List<String> calls = new ArrayList<>();
    private final List<ScopeReport> reports = new ArrayList<>();
    private final CompensationTemplate template = CompensationTemplate.builder()
            .listeners(List.<ScopeListener>of(reports::add)).build();
    private final CompensationTemplate propagating = CompensationTemplate.builder()
            .listeners(List.<ScopeListener>of(reports::add))
            .dispatchFailurePolicy(DispatchFailurePolicy.PROPAGATE).build();
    private final RollbackCommands rollback = Compensations.rollbackCommands();
    private final DispatchCommands dispatch = Compensations.dispatchCommands();

    @Test
    void d1_withNoTransactionDispatchesRunRightAfterTheMethodReturnsAndBeforeTheCallerContinues() {
        String order = template.execute("Orders.place", () -> {
            dispatch.append("publish OrderPlaced", () -> calls.add("publish OrderPlaced"));
            calls.add("method still running");
            return "order 7";
        });
        calls.add("caller continues with " + order);

        assertThat(calls).containsExactly("method still running", "publish OrderPlaced", "caller continues with order 7");
        assertThat(reports.get(0).outcome()).isEqualTo(Outcome.COMMITTED);
    }

    @Test
    void d1_aDispatchOnlyScopeDispatchesOnCommit() {
        ScopeDefinition dispatchOnly = new ScopeDefinition("Mailer.send", false, true, Propagation.REQUIRED,
                RollbackRules.ALL, null);

        template.execute(dispatchOnly, () -> {
            dispatch.append("send mail", () -> calls.add("send mail"));
            return null;
        });

        assertThat(calls).containsExactly("send mail");
    }

    @Test
    void d2_dispatchesRunOldestFirstAfterTheCleanups() {
        template.execute("Orders.place", () -> {
            dispatch.append("first", () -> calls.add("first"));
            rollback.appendCleanup("cleanup", () -> calls.add("cleanup"));
            dispatch.append("second", () -> calls.add("second"));
            dispatch.append("third", () -> calls.add("third"));
            return null;
        });

        assertThat(calls).containsExactly("cleanup", "first", "second", "third");
        assertThat(reports.get(0).commands()).extracting(CommandReport::kind, CommandReport::description)
                .containsExactly(tuple(CommandKind.CLEANUP, "cleanup"), tuple(CommandKind.DISPATCH, "first"),
                        tuple(CommandKind.DISPATCH, "second"), tuple(CommandKind.DISPATCH, "third"));
    }

    @Test
    void d3_aFailingDispatchDoesNotStopTheOthersAndTheCallerSeesSuccessUnderTheDefaultPolicy() {
        IllegalStateException brokerDown = new IllegalStateException("broker down");

        String result = template.execute("Orders.place", () -> {
            rollback.append("cancel payment", () -> calls.add("cancel payment"));
            dispatch.append("publish OrderPlaced", () -> {
                calls.add("publish OrderPlaced");
                throw brokerDown;
            });
            dispatch.append("send confirmation mail", () -> calls.add("send confirmation mail"));
            return "order 7";
        });

        assertThat(result).isEqualTo("order 7");
        assertThat(calls).containsExactly("publish OrderPlaced", "send confirmation mail");
        ScopeReport report = reports.get(0);
        assertThat(report.outcome()).isEqualTo(Outcome.COMMITTED);
        assertThat(report.commands()).extracting(CommandReport::description, CommandReport::status,
                        CommandReport::error)
                .containsExactly(tuple("cancel payment", CommandStatus.DISCARDED, null),
                        tuple("publish OrderPlaced", CommandStatus.FAILED, brokerDown),
                        tuple("send confirmation mail", CommandStatus.DONE, null));
    }

    @Test
    void d3_aFailingDispatchIsLoggedAtErrorWithTheScopeIdInTheScopesBlockAndItsStackTraceOnlyAtDebug() {
        IllegalStateException brokerDown = new IllegalStateException("broker down");
        CompensationTemplate logging = CompensationTemplate.builder().build();

        try (LogCapture engine = LogCapture.of(CompensationTemplate.class.getName());
                LogCapture scopes = LogCapture.of("io.github.compensation.scope")) {
            String scopeId = logging.execute("Orders.place", () -> {
                dispatch.append("publish OrderPlaced", () -> {
                    throw brokerDown;
                });
                return Compensations.currentScope().id();
            });

            assertThat(scopes.records()).singleElement().satisfies(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
                assertThat(record.getMessage()).startsWith("compensation scope " + scopeId + " Orders.place committed")
                        .contains("dispatch  publish OrderPlaced   FAILED 1/1      IllegalStateException: broker down");
                assertThat(record.getThrown()).isNull();
            });
            assertThat(engine.records()).singleElement().satisfies(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.FINE);
                assertThat(record.getMessage()).isEqualTo("dispatch command 'publish OrderPlaced' of scope "
                        + scopeId + " Orders.place failed after 1 attempt(s)");
                assertThat(record.getThrown()).isSameAs(brokerDown);
            });
        }
    }

    @Test
    void d3_underPropagateTheCallerGetsDispatchFailedExceptionAfterEveryDispatchRanWithEachFailureSuppressed() {
        IllegalStateException brokerDown = new IllegalStateException("broker down");
        IllegalStateException mailDown = new IllegalStateException("mail server down");

        DispatchFailedException thrown = catchThrowableOfType(DispatchFailedException.class,
                () -> propagating.execute("Orders.place", () -> {
                    rollback.append("cancel payment", () -> calls.add("cancel payment"));
                    rollback.appendCleanup("close session", () -> calls.add("close session"));
                    dispatch.append("publish OrderPlaced", () -> {
                        calls.add("publish OrderPlaced");
                        throw brokerDown;
                    });
                    dispatch.append("update search index", () -> calls.add("update search index"));
                    dispatch.append("send confirmation mail", () -> {
                        calls.add("send confirmation mail");
                        throw mailDown;
                    });
                    return "order 7";
                }));

        assertThat(calls).as("the committed work is not undone; every dispatch ran")
                .containsExactly("close session", "publish OrderPlaced", "update search index",
                        "send confirmation mail");
        ScopeReport report = reports.get(0);
        assertThat(thrown).hasMessage("Scope " + report.id() + " Orders.place committed, but 2 dispatch command(s)"
                + " failed");
        assertThat(thrown.getSuppressed()).containsExactly(brokerDown, mailDown);
        assertThat(thrown.report()).isSameAs(report);
        assertThat(report.outcome()).isEqualTo(Outcome.COMMITTED);
        assertThat(Compensations.currentScope()).isNull();
    }

    @Test
    void d3_underPropagateTheMessageCountsOnlyDispatchFailuresNotFailedCleanups() {
        IllegalStateException brokerDown = new IllegalStateException("broker down");

        DispatchFailedException thrown = catchThrowableOfType(DispatchFailedException.class,
                () -> propagating.execute("Orders.place", () -> {
                    rollback.appendCleanup("delete temp file", () -> {
                        throw new IllegalStateException("cannot delete");
                    });
                    dispatch.append("publish OrderPlaced", () -> {
                        throw brokerDown;
                    });
                    return null;
                }));

        assertThat(thrown).hasMessageEndingWith("committed, but 1 dispatch command(s) failed");
        assertThat(thrown.getSuppressed()).containsExactly(brokerDown);
    }

    @Test
    void d3_underPropagateACommitWhoseDispatchesSucceedReturnsNormallyEvenIfACleanupFailed() {
        String result = propagating.execute("Orders.place", () -> {
            rollback.appendCleanup("delete temp file", () -> {
                throw new IllegalStateException("cannot delete");
            });
            dispatch.append("publish OrderPlaced", () -> calls.add("publish OrderPlaced"));
            return "order 7";
        });

        assertThat(result).isEqualTo("order 7");
        assertThat(calls).containsExactly("publish OrderPlaced");
    }

    @Test
    void d5_onRollbackQueuedDispatchesAreDroppedAndReportedAsDiscarded() {
        IllegalStateException declined = new IllegalStateException("card declined");

        Throwable thrown = catchThrowable(() -> template.execute("Orders.place", () -> {
            dispatch.append("publish OrderPlaced", () -> calls.add("publish OrderPlaced"));
            dispatch.append("send confirmation mail", () -> calls.add("send confirmation mail"));
            throw declined;
        }));

        assertThat(thrown).isSameAs(declined);
        assertThat(calls).isEmpty();
        assertThat(reports.get(0).commands())
                .extracting(CommandReport::description, CommandReport::status, CommandReport::attempts,
                        CommandReport::note)
                .containsExactly(
                        tuple("publish OrderPlaced", CommandStatus.DISCARDED, 0, "not committed: rolled back"),
                        tuple("send confirmation mail", CommandStatus.DISCARDED, 0, "not committed: rolled back"));
    }

    @Test
    void d5_onAFailureExcludedByTheRulesQueuedDispatchesAreDroppedToo() {
        ScopeDefinition definition = ScopeDefinition.named("Orders.place")
                .withRules(new RollbackRules(List.of(), List.of(IllegalArgumentException.class)));

        catchThrowable(() -> template.execute(definition, () -> {
            dispatch.append("publish OrderPlaced", () -> calls.add("publish OrderPlaced"));
            throw new IllegalArgumentException("invalid order");
        }));

        assertThat(calls).isEmpty();
        assertThat(reports.get(0).outcome()).isEqualTo(Outcome.FAILED_NO_ROLLBACK);
        assertThat(reports.get(0).commands()).extracting(CommandReport::status)
                .containsExactly(CommandStatus.DISCARDED);
    }

    @Test
    void d5_aDispatchOnlyScopeDropsItsQueueOnAnyException() {
        ScopeDefinition dispatchOnly = new ScopeDefinition("Mailer.send", false, true, Propagation.REQUIRED,
                RollbackRules.ALL, null);

        catchThrowable(() -> template.execute(dispatchOnly, () -> {
            dispatch.append("send mail", () -> calls.add("send mail"));
            throw new java.io.IOException("template missing");
        }));

        assertThat(calls).isEmpty();
        assertThat(reports.get(0).outcome()).isEqualTo(Outcome.ROLLED_BACK);
    }
}
