package io.github.compensation.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link CompensationScope#attribute}: the hook through which an integration keeps its own state on a scope (the
 * journal keeps its units and outbox rows there). Not a numbered clause of its own; it serves J2 and J3.
 */
class ScopeAttributeTest {

    private final CompensationTemplate template = CompensationTemplate.builder().listeners(List.of()).build();

    @Test
    void attributeIsMadeOnFirstUseOnlyAndIsTheScopesOwn() {
        AtomicInteger made = new AtomicInteger();
        List<Object> seen = new ArrayList<>();
        template.execute("Outer.run", () -> {
            CompensationScope scope = Objects.requireNonNull(Compensations.currentScope());
            assertThat(scope.getAttribute("state")).as("nothing before first use").isNull();
            List<String> first = scope.attribute("state", () -> {
                made.incrementAndGet();
                return new ArrayList<String>();
            });
            List<String> second = scope.attribute("state", ArrayList::new);
            first.add("unit-1");
            seen.add(second);
            seen.add(scope.getAttribute("state"));
            template.execute(io.github.compensation.ScopeDefinition.named("Inner.run")
                    .withPropagation(io.github.compensation.Propagation.REQUIRES_NEW), () -> {
                seen.add(Objects.requireNonNull(Compensations.currentScope()).getAttribute("state"));
                return null;
            });
            return null;
        });

        assertThat(made).hasValue(1);
        assertThat(seen.get(0)).isSameAs(seen.get(1)).isEqualTo(List.of("unit-1"));
        assertThat(seen.get(2)).as("another scope does not see it").isNull();
    }

    @Test
    void aSupplierThatReturnsNullIsRefused() {
        template.execute("Outer.run", () -> {
            CompensationScope scope = Objects.requireNonNull(Compensations.currentScope());
            assertThatThrownBy(() -> scope.attribute("state", () -> null)).isInstanceOf(NullPointerException.class);
            assertThat(scope.getAttribute("state")).isNull();
            return null;
        });
    }
}
