package io.github.compensation;

import io.github.compensation.spi.ScopeListener;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** E1 (no open scope, null arguments) and E2 (registering while the scope's commands run). */
class MisuseTest {

    private static final String SETTLING_NOTE = "registered by a command while the scope was settling; not dispatched";

    private final List<String> calls = new ArrayList<>();
    private final List<ScopeReport> reports = new ArrayList<>();
    private final CompensationTemplate template = CompensationTemplate.builder()
            .listeners(List.<ScopeListener>of(reports::add)).build();
    private final RollbackCommands rollback = Compensations.rollbackCommands();
    private final DispatchCommands dispatch = Compensations.dispatchCommands();
    private final Command noop = () -> calls.add("should not run");

    @Test
    void e1_registeringARollbackCommandWithNoOpenScopeSaysToAddRollbackOnceFailed() {
        String message = noScopeMessage("rollback commands", "@RollbackOnceFailed");

        for (Executable registration : List.<Executable>of(() -> rollback.append("cancel flight", noop),
                () -> rollback.append(noop), () -> rollback.appendToBottom("release lock", noop),
                () -> rollback.appendCleanup("delete temp file", noop), rollback::discardAll)) {
            assertThatIllegalStateException().isThrownBy(registration::execute).withMessage(message);
        }
    }

    @Test
    void e1_registeringADispatchCommandWithNoOpenScopeSaysToAddDispatchAfterCommit() {
        String message = noScopeMessage("dispatch commands", "@DispatchAfterCommit");

        assertThatIllegalStateException().isThrownBy(() -> dispatch.append("publish OrderPlaced", noop))
                .withMessage(message);
        assertThatIllegalStateException().isThrownBy(() -> dispatch.append(noop)).withMessage(message);
    }

    @Test
    void e1_aScopeThatDoesNotAcceptTheKindOfCommandAlsoNamesTheMissingAnnotation() {
        ScopeDefinition dispatchOnly = new ScopeDefinition("Mailer.send", false, true, Propagation.REQUIRED,
                RollbackRules.ALL, null);
        ScopeDefinition rollbackOnly = new ScopeDefinition("Flights.reserve", true, false, Propagation.REQUIRED,
                RollbackRules.ALL, null);

        template.execute(dispatchOnly, () -> {
            assertThatIllegalStateException().isThrownBy(() -> rollback.append("cancel", noop))
                    .withMessage(noScopeMessage("rollback commands", "@RollbackOnceFailed"));
            return null;
        });
        template.execute(rollbackOnly, () -> {
            assertThatIllegalStateException().isThrownBy(() -> dispatch.append("publish", noop))
                    .withMessage(noScopeMessage("dispatch commands", "@DispatchAfterCommit"));
            return null;
        });
        assertThat(calls).isEmpty();
    }

    @Test
    void e1_aNestedScopeRegistersTheKindItDoesNotAcceptInTheClosestEnclosingScopeThatDoes() {
        ScopeDefinition rollbackOnly = new ScopeDefinition("Flights.reserve", true, false, Propagation.REQUIRED,
                RollbackRules.ALL, null);

        template.execute("Trip.book", () -> template.execute(rollbackOnly, () -> {
            dispatch.append("publish FlightReserved", () -> calls.add("publish FlightReserved"));
            return null;
        }));

        assertThat(calls).containsExactly("publish FlightReserved");
    }

    @Test
    void e1_aNullDescriptionFailsAtOnceNamingTheArgumentAndRegistersNothing() {
        template.execute("Trip.book", () -> {
            assertThatNullPointerException().isThrownBy(() -> rollback.append(null, noop))
                    .withMessage("description must not be null");
            assertThatNullPointerException().isThrownBy(() -> rollback.appendToBottom(null, noop))
                    .withMessage("description must not be null");
            assertThatNullPointerException().isThrownBy(() -> rollback.appendCleanup(null, noop))
                    .withMessage("description must not be null");
            assertThatNullPointerException().isThrownBy(() -> dispatch.append(null, noop))
                    .withMessage("description must not be null");
            return null;
        });

        assertThat(reports.get(0).commands()).isEmpty();
        assertThat(calls).isEmpty();
    }

    @Test
    void e1_aNullCommandFailsAtOnceNamingTheArgumentEvenWithNoOpenScope() {
        List<Executable> registrations = List.of(() -> rollback.append("cancel", null),
                () -> rollback.append((Command) null), () -> rollback.appendToBottom("release", null),
                () -> rollback.appendCleanup("delete", null), () -> dispatch.append("publish", null),
                () -> dispatch.append((Command) null));

        for (Executable registration : registrations) {
            assertThatNullPointerException().isThrownBy(registration::execute)
                    .withMessage("command must not be null");
        }
        template.execute("Trip.book", () -> {
            for (Executable registration : registrations) {
                assertThatNullPointerException().isThrownBy(registration::execute)
                        .withMessage("command must not be null");
            }
            return null;
        });
        assertThat(reports.get(0).commands()).isEmpty();
    }

    @Test
    void e1_nullArgumentsToTheTemplateFailAtOnceNamingTheArgument() {
        assertThatNullPointerException().isThrownBy(() -> template.execute((ScopeDefinition) null, () -> null))
                .withMessage("definition must not be null");
        assertThatNullPointerException().isThrownBy(() -> template.execute("Trip.book", null))
                .withMessage("callback must not be null");
        assertThatNullPointerException().isThrownBy(() -> template.execute((String) null, () -> null))
                .withMessage("name must not be null");
        assertThatNullPointerException().isThrownBy(() -> Compensations.wrap((Runnable) null))
                .withMessage("task must not be null");
        assertThatIllegalArgumentException().isThrownBy(() -> new ScopeDefinition("Trip.book", false, false,
                        Propagation.REQUIRED, RollbackRules.ALL, null))
                .withMessage("scope 'Trip.book' must accept rollback commands, dispatch commands, or both");
        assertThat(Compensations.currentScope()).isNull();
    }

    @Test
    void e2_registeringARollbackCommandFromARunningCompensationIsRefusedWithAClearMessage() {
        AtomicReference<IllegalStateException> refusal = new AtomicReference<>();
        AtomicReference<String> scopeId = new AtomicReference<>();
        IllegalStateException failure = new IllegalStateException("payment declined");

        Throwable thrown = catchThrowable(() -> template.execute("Trip.book", () -> {
            scopeId.set(Compensations.currentScope().id());
            rollback.append("cancel flight", () -> calls.add("cancel flight"));
            rollback.append("cancel hotel", () -> {
                calls.add("cancel hotel");
                try {
                    rollback.append("undo the cancellation", noop);
                }
                catch (IllegalStateException refused) {
                    refusal.set(refused);
                    throw refused;
                }
            });
            throw failure;
        }));

        assertThat(refusal.get()).hasMessage("Cannot register rollback command 'undo the cancellation' while scope "
                + scopeId.get() + " Trip.book is running its commands: register it before the scope ends, or open"
                + " a new scope (for example by calling a method annotated with @RollbackOnceFailed)");
        assertThat(thrown).isSameAs(failure);
        assertThat(thrown.getSuppressed()).containsExactly(refusal.get());
        assertThat(calls).containsExactly("cancel hotel", "cancel flight");
        assertThat(reports.get(0).commands()).extracting(CommandReport::description, CommandReport::status)
                .containsExactly(tuple("cancel hotel", CommandStatus.FAILED), tuple("cancel flight", CommandStatus.DONE));
    }

    @Test
    void e2_registeringACleanupOrDiscardingFromACommandRunningOnCommitIsRefused() {
        AtomicReference<Throwable> cleanupRefusal = new AtomicReference<>();
        AtomicReference<Throwable> discardRefusal = new AtomicReference<>();
        AtomicReference<String> scopeId = new AtomicReference<>();

        template.execute("Files.convert", () -> {
            scopeId.set(Compensations.currentScope().id());
            rollback.appendCleanup("close stream", () -> {
                cleanupRefusal.set(catchThrowable(() -> rollback.appendCleanup("close again", noop)));
                discardRefusal.set(catchThrowable(rollback::discardAll));
            });
            return null;
        });

        assertThat(cleanupRefusal.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot register rollback command 'close again' while scope " + scopeId.get()
                        + " Files.convert is running its commands");
        assertThat(discardRefusal.get()).isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot discard the compensations of scope " + scopeId.get() + " Files.convert: it is no"
                        + " longer running; call discardAll() from inside the scope's method");
        assertThat(calls).isEmpty();
    }

    @Test
    void e2_aDispatchCommandRegisteredByACompensationIsRecordedAsDiscardedButNeverRun() {
        catchThrowable(() -> template.execute("Trip.book", () -> {
            rollback.append("cancel flight", () -> {
                calls.add("cancel flight");
                dispatch.append("publish FlightCancelled", () -> calls.add("publish FlightCancelled"));
            });
            throw new IllegalStateException("payment declined");
        }));

        assertThat(calls).containsExactly("cancel flight");
        assertThat(reports.get(0).commands())
                .extracting(CommandReport::kind, CommandReport::description, CommandReport::status,
                        CommandReport::note)
                .containsExactly(tuple(CommandKind.COMPENSATION, "cancel flight", CommandStatus.DONE, null),
                        tuple(CommandKind.DISPATCH, "publish FlightCancelled", CommandStatus.DISCARDED,
                                SETTLING_NOTE));
    }

    @Test
    void e2_aDispatchCommandRegisteredByADispatchCommandIsRecordedAsDiscardedButNeverRun() {
        template.execute("Orders.place", () -> {
            dispatch.append("publish OrderPlaced", () -> {
                calls.add("publish OrderPlaced");
                dispatch.append("publish follow-up", () -> calls.add("publish follow-up"));
            });
            return null;
        });

        assertThat(calls).containsExactly("publish OrderPlaced");
        assertThat(reports.get(0).commands()).extracting(CommandReport::description, CommandReport::status)
                .containsExactly(tuple("publish OrderPlaced", CommandStatus.DONE),
                        tuple("publish follow-up", CommandStatus.DISCARDED));
    }

    @Test
    void e2_aDispatchRegisteredByACompensationOfARollbackOnlyNestedScopeIsNotHandedToTheEnclosingScope() {
        ScopeDefinition rollbackOnly = new ScopeDefinition("Flights.reserve", true, false, Propagation.REQUIRED,
                RollbackRules.ALL, null);

        template.execute("Trip.book", () -> {
            catchThrowable(() -> template.execute(rollbackOnly, () -> {
                rollback.append("cancel flight", () -> {
                    calls.add("cancel flight");
                    dispatch.append("publish FlightCancelled", () -> calls.add("publish FlightCancelled"));
                });
                throw new IllegalStateException("seat map changed");
            }));
            return null;
        });

        assertThat(calls).containsExactly("cancel flight");
        assertThat(reports).extracting(ScopeReport::name).containsExactly("Flights.reserve", "Trip.book");
        assertThat(reports.get(0).commands()).extracting(CommandReport::description, CommandReport::status,
                        CommandReport::note)
                .containsExactly(tuple("cancel flight", CommandStatus.DONE, null),
                        tuple("publish FlightCancelled", CommandStatus.DISCARDED, SETTLING_NOTE));
        assertThat(reports.get(1).commands()).isEmpty();
    }

    @Test
    void e2_aRollbackRegisteredByADispatchCommandOfADispatchOnlyScopeIsNotHandedToTheEnclosingScope() {
        ScopeDefinition dispatchOnlyRequiresNew = new ScopeDefinition("Mailer.send", false, true,
                Propagation.REQUIRES_NEW, RollbackRules.ALL, null);
        AtomicReference<Throwable> refusal = new AtomicReference<>();

        catchThrowable(() -> template.execute("Trip.book", () -> {
            template.execute(dispatchOnlyRequiresNew, () -> {
                dispatch.append("send mail", () -> refusal.set(catchThrowable(
                        () -> rollback.append("recall mail", () -> calls.add("recall mail")))));
                return null;
            });
            throw new IllegalStateException("payment declined");
        }));

        assertThat(refusal.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Cannot register rollback command 'recall mail' while scope")
                .hasMessageContaining("Mailer.send is running its commands");
        assertThat(calls).isEmpty();
    }

    @Test
    void e2_aCompensationMayOpenANewScopeForItsOwnUndoSteps() {
        IllegalStateException failure = new IllegalStateException("payment declined");

        Throwable thrown = catchThrowable(() -> template.execute("Trip.book", () -> {
            rollback.append("cancel flight", () -> template.execute("Flights.cancel", () -> {
                calls.add("release seat");
                rollback.append("re-reserve seat", () -> calls.add("re-reserve seat"));
                throw new IllegalStateException("refund failed");
            }));
            throw failure;
        }));

        assertThat(thrown).isSameAs(failure);
        assertThat(calls).containsExactly("release seat", "re-reserve seat");
        assertThat(reports).extracting(ScopeReport::name, ScopeReport::outcome).containsExactly(
                tuple("Flights.cancel", Outcome.ROLLED_BACK), tuple("Trip.book", Outcome.ROLLED_BACK));
    }

    private static String noScopeMessage(String what, String annotation) {
        return "No compensation scope accepting " + what + " is open on thread '" + Thread.currentThread().getName()
                + "': annotate the calling method with " + annotation + " (on a Spring bean, called through its proxy unless compensation.mode=aspectj), or run the code"
                + " through CompensationTemplate.execute(...). Scopes stay on their thread: work handed to another"
                + " thread registers in the caller's scope only when the scope is carried explicitly"
                + " (Compensations.wrap(...), or compensation.async.propagate-scope=true in Spring Boot)";
    }
}
