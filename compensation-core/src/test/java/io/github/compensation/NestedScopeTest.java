package io.github.compensation;

import io.github.compensation.spi.CompensationScope;
import io.github.compensation.spi.ScopeListener;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** N1 (a nested scope is like a savepoint) and N2 (REQUIRES_NEW settles on its own). */
class NestedScopeTest {

    private final List<String> calls = new ArrayList<>();
    private final List<ScopeReport> reports = new ArrayList<>();
    private final CompensationTemplate template = CompensationTemplate.builder()
            .listeners(List.<ScopeListener>of(reports::add)).build();
    private final RollbackCommands rollback = Compensations.rollbackCommands();
    private final DispatchCommands dispatch = Compensations.dispatchCommands();
    private final ScopeDefinition requiresNew = ScopeDefinition.named("Audit.record")
            .withPropagation(Propagation.REQUIRES_NEW);

    @Test
    void n1_anInnerFailureCaughtByTheOuterMethodUndoesOnlyTheInnerWorkAtOnce() {
        IllegalStateException innerFailure = new IllegalStateException("hotel unavailable");

        String result = template.execute("Trip.book", () -> {
            rollback.append("cancel flight", () -> calls.add("cancel flight"));
            Throwable caught = catchThrowable(() -> template.execute("Hotels.reserve", () -> {
                rollback.append("cancel hotel A", () -> calls.add("cancel hotel A"));
                rollback.appendCleanup("close hotel session", () -> calls.add("close hotel session"));
                rollback.append("cancel hotel B", () -> calls.add("cancel hotel B"));
                throw innerFailure;
            }));
            assertThat(caught).isSameAs(innerFailure);
            calls.add("outer continues");
            rollback.append("cancel car", () -> calls.add("cancel car"));
            return "trip without hotel";
        });

        assertThat(result).isEqualTo("trip without hotel");
        assertThat(calls).containsExactly("cancel hotel B", "close hotel session", "cancel hotel A",
                "outer continues");
        assertThat(reports).extracting(ScopeReport::name, ScopeReport::outcome)
                .containsExactly(tuple("Hotels.reserve", Outcome.ROLLED_BACK), tuple("Trip.book", Outcome.COMMITTED));
    }

    @Test
    void n1_theCompensationsOfAReturnedInnerScopeAreUndoneInRegistrationOrderWhenTheOuterLaterFails() {
        IllegalStateException outerFailure = new IllegalStateException("payment declined");

        Throwable thrown = catchThrowable(() -> template.execute("Trip.book", () -> {
            rollback.append("cancel flight", () -> calls.add("cancel flight"));
            template.execute("Hotels.reserve", () -> {
                rollback.append("cancel hotel", () -> calls.add("cancel hotel"));
                rollback.appendCleanup("close hotel session", () -> calls.add("close hotel session"));
                return null;
            });
            calls.add("inner returned");
            rollback.append("cancel car", () -> calls.add("cancel car"));
            throw outerFailure;
        }));

        assertThat(thrown).isSameAs(outerFailure);
        assertThat(calls).containsExactly("inner returned", "cancel car", "close hotel session", "cancel hotel",
                "cancel flight");
        assertThat(reports).singleElement().satisfies(report -> {
            assertThat(report.name()).isEqualTo("Trip.book");
            assertThat(report.commands()).extracting(CommandReport::description).containsExactly("cancel car",
                    "close hotel session", "cancel hotel", "cancel flight");
        });
    }

    @Test
    void n1_theDispatchesOfAFailedInnerScopeAreDroppedWhileTheOutersStillDispatch() {
        template.execute("Trip.book", () -> {
            dispatch.append("publish TripBooked", () -> calls.add("publish TripBooked"));
            catchThrowable(() -> template.execute("Hotels.reserve", () -> {
                dispatch.append("publish HotelReserved", () -> calls.add("publish HotelReserved"));
                throw new IllegalStateException("hotel unavailable");
            }));
            dispatch.append("send itinerary", () -> calls.add("send itinerary"));
            return null;
        });

        assertThat(calls).containsExactly("publish TripBooked", "send itinerary");
        assertThat(reports.get(0).commands()).extracting(CommandReport::description, CommandReport::status)
                .containsExactly(tuple("publish HotelReserved", CommandStatus.DISCARDED));
    }

    @Test
    void n1_theDispatchesOfAReturnedInnerScopeWaitForTheOuterCommitAndKeepRegistrationOrder() {
        template.execute("Trip.book", () -> {
            dispatch.append("publish FlightReserved", () -> calls.add("publish FlightReserved"));
            template.execute("Hotels.reserve", () -> {
                dispatch.append("publish HotelReserved", () -> calls.add("publish HotelReserved"));
                return null;
            });
            calls.add("inner returned");
            dispatch.append("publish TripBooked", () -> calls.add("publish TripBooked"));
            return null;
        });

        assertThat(calls).containsExactly("inner returned", "publish FlightReserved", "publish HotelReserved",
                "publish TripBooked");
    }

    @Test
    void n1_theDispatchesOfAReturnedInnerScopeAreDroppedWhenTheOuterFails() {
        catchThrowable(() -> template.execute("Trip.book", () -> {
            template.execute("Hotels.reserve", () -> {
                dispatch.append("publish HotelReserved", () -> calls.add("publish HotelReserved"));
                return null;
            });
            throw new IllegalStateException("payment declined");
        }));

        assertThat(calls).isEmpty();
        assertThat(reports).singleElement().satisfies(report -> assertThat(report.commands())
                .extracting(CommandReport::description, CommandReport::status)
                .containsExactly(tuple("publish HotelReserved", CommandStatus.DISCARDED)));
    }

    @Test
    void n1_threeLevels_aFailureCaughtInTheMiddleUndoesTheInnermostOnlyAndTheRestJoinsTheOuter() {
        catchThrowable(() -> template.execute("Outer.run", () -> {
            rollback.append("outer", () -> calls.add("undo outer"));
            template.execute("Middle.run", () -> {
                rollback.append("middle", () -> calls.add("undo middle"));
                catchThrowable(() -> template.execute("Inner.run", () -> {
                    rollback.append("inner", () -> calls.add("undo inner"));
                    throw new IllegalStateException("inner failed");
                }));
                calls.add("middle continues");
                return null;
            });
            throw new IllegalStateException("outer failed");
        }));

        assertThat(calls).containsExactly("undo inner", "middle continues", "undo middle", "undo outer");
    }

    @Test
    void n1_theOuterScopeIsCurrentAgainAfterTheInnerCallReturnsOrThrows() {
        template.execute("Outer.run", () -> {
            CompensationScope outer = Compensations.currentScope();
            template.execute("Inner.run", () -> {
                assertThat(Compensations.currentScope()).isNotSameAs(outer).isNotNull();
                return null;
            });
            assertThat(Compensations.currentScope()).isSameAs(outer);
            catchThrowable(() -> template.execute("Inner.run", () -> {
                throw new IllegalStateException("inner failed");
            }));
            assertThat(Compensations.currentScope()).isSameAs(outer);
            return null;
        });

        assertThat(Compensations.currentScope()).isNull();
    }

    @Test
    void n1_anInnerFailureExcludedByItsRulesUndoesNothingAtOnceDropsItsDispatchesAndLeavesItsWorkToTheOuter() {
        ScopeDefinition inner = ScopeDefinition.named("Hotels.reserve")
                .withRules(new RollbackRules(List.of(), List.of(IllegalArgumentException.class)));

        catchThrowable(() -> template.execute("Trip.book", () -> {
            catchThrowable(() -> template.execute(inner, () -> {
                rollback.append("cancel hotel", () -> calls.add("cancel hotel"));
                dispatch.append("publish HotelReserved", () -> calls.add("publish HotelReserved"));
                throw new IllegalArgumentException("no preference given");
            }));
            calls.add("outer continues");
            throw new IllegalStateException("payment declined");
        }));

        assertThat(calls).containsExactly("outer continues", "cancel hotel");
        assertThat(reports).extracting(ScopeReport::name, ScopeReport::outcome).containsExactly(
                tuple("Hotels.reserve", Outcome.FAILED_NO_ROLLBACK), tuple("Trip.book", Outcome.ROLLED_BACK));
        assertThat(reports.get(0).commands()).extracting(CommandReport::description, CommandReport::status)
                .containsExactly(tuple("publish HotelReserved", CommandStatus.DISCARDED));
    }

    @Test
    void n2_aRequiresNewInnerScopeDispatchesAsSoonAsItReturns() {
        template.execute("Trip.book", () -> {
            dispatch.append("publish TripBooked", () -> calls.add("publish TripBooked"));
            template.execute(requiresNew, () -> {
                dispatch.append("publish AuditRecorded", () -> calls.add("publish AuditRecorded"));
                return null;
            });
            calls.add("outer continues");
            return null;
        });

        assertThat(calls).containsExactly("publish AuditRecorded", "outer continues", "publish TripBooked");
        assertThat(reports).extracting(ScopeReport::name, ScopeReport::outcome).containsExactly(
                tuple("Audit.record", Outcome.COMMITTED), tuple("Trip.book", Outcome.COMMITTED));
    }

    @Test
    void n2_theCompensationsOfARequiresNewInnerScopeAreNotRunWhenTheOuterLaterFails() {
        catchThrowable(() -> template.execute("Trip.book", () -> {
            rollback.append("cancel flight", () -> calls.add("cancel flight"));
            template.execute(requiresNew, () -> {
                rollback.append("delete audit entry", () -> calls.add("delete audit entry"));
                rollback.appendCleanup("close audit session", () -> calls.add("close audit session"));
                return null;
            });
            throw new IllegalStateException("payment declined");
        }));

        assertThat(calls).containsExactly("close audit session", "cancel flight");
        assertThat(reports.get(0).commands()).extracting(CommandReport::description, CommandReport::status)
                .containsExactly(tuple("close audit session", CommandStatus.DONE),
                        tuple("delete audit entry", CommandStatus.DISCARDED));
        assertThat(reports.get(1).commands()).extracting(CommandReport::description)
                .containsExactly("cancel flight");
    }

    @Test
    void n2_aFailingRequiresNewInnerScopeUndoesItsOwnWorkAndTheOuterCarriesOn() {
        template.execute("Trip.book", () -> {
            rollback.append("cancel flight", () -> calls.add("cancel flight"));
            dispatch.append("publish TripBooked", () -> calls.add("publish TripBooked"));
            catchThrowable(() -> template.execute(requiresNew, () -> {
                rollback.append("delete audit entry", () -> calls.add("delete audit entry"));
                dispatch.append("publish AuditRecorded", () -> calls.add("publish AuditRecorded"));
                throw new IllegalStateException("audit store down");
            }));
            calls.add("outer continues");
            return null;
        });

        assertThat(calls).containsExactly("delete audit entry", "outer continues", "publish TripBooked");
    }
}
