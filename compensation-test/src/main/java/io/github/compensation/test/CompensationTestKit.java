package io.github.compensation.test;

import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.RetrySpec;
import io.github.compensation.support.SimpleCommandRunner;
import io.github.compensation.spi.TransactionBridge;
import io.github.compensation.spring.aop.CompensationAttributeSource;
import io.github.compensation.spring.aop.CompensationInterceptor;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.springframework.aop.framework.ProxyFactory;

/**
 * Everything needed to test one service's compensations without Spring or a database: a {@link CompensationTemplate}
 * built for the test, which records its scopes in its own {@link ScopeRecorder} and applies {@link CompensationFaults}
 * to its commands.
 *
 * <pre>{@code
 * CompensationTestKit kit = CompensationTestKit.create();
 * TripService trips = kit.advise(new TripService(fakeFlights, fakeHotels, Compensations.rollbackCommands(),
 *         Compensations.dispatchCommands()));
 *
 * assertThatThrownBy(() -> trips.book(request)).isInstanceOf(PaymentDeclined.class);
 * assertThat(kit.scopes()).single().rolledBack().ranCompensations("cancel hotel", "cancel flight");
 * }</pre>
 *
 * <p>{@link #advise} honours the annotations ({@code @RollbackOnceFailed(rollbackFor = ...)}, retries, propagation)
 * exactly as the starter does; {@link #template()} runs blocks programmatically. Without transactions by default: a
 * scope that returns commits at once. The kit's scopes are all its own, so a kit per test needs no extension. Thread-safe
 * once built.
 */
public final class CompensationTestKit {

    private final ScopeRecorder recorder;
    private final CompensationFaults faults;
    private final CompensationTemplate template;

    private CompensationTestKit(UnaryOperator<CompensationTemplate.Builder> customizer) {
        this.recorder = new ScopeRecorder();
        this.faults = new CompensationFaults(recorder);
        CompensationTemplate.Builder builder = customizer.apply(CompensationTemplate.builder()
                .transactionBridge(TransactionBridge.NONE)
                .listeners(List.of()));
        this.template = builder.listener(recorder).executionListener(recorder).commandRunner(faults.decorate(new SimpleCommandRunner())).build();
    }

    /**
     * A kit with the engine's defaults, except that reports are not logged (a failing assertion prints the scope's
     * report): no transactions, one attempt per command.
     *
     * @return the kit
     */
    public static CompensationTestKit create() {
        return new CompensationTestKit(UnaryOperator.identity());
    }

    /**
     * A kit whose template is customized first (default retry, policies, listeners, a transaction bridge); the kit
     * then adds its recorder as a listener and sets the runner: the engine's {@link SimpleCommandRunner} wrapped with
     * the kit's faults.
     *
     * @param customizer changes the builder and returns it
     * @return the kit
     */
    public static CompensationTestKit create(UnaryOperator<CompensationTemplate.Builder> customizer) {
        return new CompensationTestKit(Objects.requireNonNull(customizer, "customizer must not be null"));
    }

    /**
     * The template that records and applies faults; run blocks in scopes with it, or pass it to code that takes one.
     *
     * @return the template
     */
    public CompensationTemplate template() {
        return template;
    }

    /**
     * Every scope this kit's template ran.
     *
     * @return the view
     */
    public RecordedScopes scopes() {
        return recorder.all();
    }

    /**
     * The faults applied to this kit's commands ({@link CompensationFaults#failCommand}); commit faults need a
     * transaction manager passed through {@link CompensationFaults#wrap}.
     *
     * @return the faults
     */
    public CompensationFaults faults() {
        return faults;
    }

    /**
     * A proxy of the service whose methods annotated with {@code @RollbackOnceFailed} and/or
     * {@code @DispatchAfterCommit} run in scopes of this kit's template, as the starter's advice would run them.
     *
     * @param service the service; its class must be open to subclassing, or the proxy implements its interfaces
     * @param <T>     the service's type
     * @return the proxy
     */
    @SuppressWarnings("unchecked")
    public <T> T advise(T service) {
        Objects.requireNonNull(service, "service must not be null");
        ProxyFactory factory = new ProxyFactory(service);
        factory.setProxyTargetClass(!java.lang.reflect.Modifier.isFinal(service.getClass().getModifiers()));
        factory.addAdvice(new CompensationInterceptor(new CompensationAttributeSource(RetrySpec.ONCE), template));
        return (T) factory.getProxy(service.getClass().getClassLoader());
    }
}
