package io.github.compensation.aspectjtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import io.github.compensation.RetrySpec;
import io.github.compensation.spring.aop.CompensationAttributeSource;
import io.github.compensation.spring.aspectj.CompensationAspect;
import org.aspectj.lang.Aspects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The woven aspect on its own, configured by hand: a call through {@code this} opens a scope. */
class SelfInvocationWithoutSpringTest {

    private final CompensationAspect aspect = Aspects.aspectOf(CompensationAspect.class);
    private final SelfCallingBooking booking = new SelfCallingBooking(Compensations.rollbackCommands(),
            Compensations.dispatchCommands());

    @BeforeEach
    void configureAspect() {
        aspect.configure(new CompensationAttributeSource(RetrySpec.ONCE), new CompensationTemplate());
    }

    @AfterEach
    void resetAspect() {
        aspect.reset();
    }

    @Test
    void r1_selfInvokedAnnotatedMethodCompensatesNewestFirstWhenItFails() {
        assertThatThrownBy(() -> booking.book("lisbon", true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("payment declined for lisbon");

        assertThat(booking.calls()).containsExactly("reserve flight lisbon", "reserve hotel lisbon",
                "cancel hotel lisbon", "cancel flight lisbon");
        assertThat(Compensations.currentScope()).isNull();
    }

    @Test
    void d1_selfInvokedAnnotatedMethodDispatchesOnceItReturns() {
        booking.book("porto", false);

        assertThat(booking.calls()).containsExactly("reserve flight porto", "reserve hotel porto", "announce porto");
        assertThat(Compensations.currentScope()).isNull();
    }

    @Test
    void e3_wovenMethodRefusesToRunWhileTheAspectIsNotConfigured() {
        aspect.reset();

        assertThatThrownBy(() -> booking.book("faro", false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CompensationAspect advises SelfCallingBooking.reserve but is not configured")
                .hasMessageContaining("compensation.mode=aspectj");
        assertThat(booking.calls()).isEmpty();
    }
}
