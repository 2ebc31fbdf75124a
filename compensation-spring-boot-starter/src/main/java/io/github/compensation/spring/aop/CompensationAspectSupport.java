package io.github.compensation.spring.aop;

import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.ScopeCallback;
import io.github.compensation.ScopeDefinition;
import io.github.compensation.ScopeFunction;
import io.github.compensation.spring.transaction.SuspendedTransactionState;
import java.lang.reflect.Method;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.interceptor.TransactionAttribute;
import org.springframework.transaction.interceptor.TransactionAttributeSource;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.function.SingletonSupplier;

/**
 * What every front end does with an advised call, shared by the proxy {@link CompensationInterceptor} and the woven
 * {@code CompensationAspect} (the way Spring's {@code TransactionAspectSupport} serves both of its front ends): find the
 * scope definition, and run the call in a scope through the {@link CompensationTemplate}.
 *
 * <p>A method whose own {@code @Transactional} starts a new transaction ({@code REQUIRES_NEW}) or runs without one
 * ({@code NOT_SUPPORTED}) does not belong to its caller's transaction, so its scope must not wait for that transaction
 * either: the caller's transaction state is set aside around the whole scope, and the scope settles when the method
 * returns.
 *
 * <p>A method whose result completes later ({@code CompletionStage}, and with {@code compensation-reactor} the reactive
 * types) is run through the {@link AsyncReturnAdapter} the attribute source names for it, so that its scope settles
 * when the result completes (clauses A1, A2). Thread-safe.
 */
public class CompensationAspectSupport {

    private final CompensationAttributeSource source;
    private final Supplier<CompensationTemplate> template;
    private final @Nullable TransactionAttributeSource transactionAttributes;

    /**
     * Creates the support.
     *
     * @param source                reads the annotations
     * @param template              runs the scopes
     * @param transactionAttributes the application's transaction attributes, to tell methods that start their own
     *                              transaction; {@code null} when there is no declarative transaction management
     */
    public CompensationAspectSupport(CompensationAttributeSource source, CompensationTemplate template,
            @Nullable TransactionAttributeSource transactionAttributes) {
        this(source, () -> template, transactionAttributes);
    }

    /**
     * Creates the support with a template looked up at the first advised call, not before: the advice is created
     * while bean post-processors are, and the template's listeners (the journal, metrics) need the application's
     * data source and meter registry, which must not be created that early (Spring's {@code TransactionInterceptor}
     * looks up its transaction manager late for the same reason).
     *
     * @param source                reads the annotations
     * @param template              supplies the template that runs the scopes; asked once
     * @param transactionAttributes the application's transaction attributes, to tell methods that start their own
     *                              transaction; {@code null} when there is no declarative transaction management
     */
    public CompensationAspectSupport(CompensationAttributeSource source, Supplier<CompensationTemplate> template,
            @Nullable TransactionAttributeSource transactionAttributes) {
        this.source = source;
        this.template = SingletonSupplier.of(template);
        this.transactionAttributes = transactionAttributes;
    }

    /**
     * Runs the call in the scope its annotations ask for, or as it is when it has none.
     *
     * @param method      the invoked method
     * @param targetClass the class of the target, or {@code null} when unknown
     * @param call        proceeds with the call
     * @return what the call returned
     * @throws Throwable what the call threw, unchanged (R4)
     */
    protected @Nullable Object invokeInScope(Method method, @Nullable Class<?> targetClass,
            ScopeCallback<@Nullable Object, Throwable> call) throws Throwable {
        return invokeInScope(method, targetClass, call, ScopeCallback::doInScope);
    }

    /**
     * Runs the call in the scope its annotations ask for, or as it is when it has none: the form for front ends whose
     * call object proceeds by itself, such as a {@code MethodInvocation} with {@code MethodInvocation::proceed}, which
     * saves making a callback per call on the common path.
     *
     * @param method      the invoked method
     * @param targetClass the class of the target, or {@code null} when unknown
     * @param call        the intercepted call
     * @param proceed     proceeds with {@code call}
     * @param <C>         the type of the call object
     * @return what the call returned
     * @throws Throwable what the call threw, unchanged (R4)
     */
    protected <C> @Nullable Object invokeInScope(Method method, @Nullable Class<?> targetClass, C call,
            ScopeFunction<C, @Nullable Object, Throwable> proceed) throws Throwable {
        ScopeDefinition definition = source.getDefinition(method, targetClass);
        if (definition == null) {
            return proceed.apply(call);
        }
        AsyncReturnAdapter adapter = source.getReturnAdapter(method);
        if (transactionAttributes != null && TransactionSynchronizationManager.isSynchronizationActive()
                && startsOwnTransaction(method, targetClass)) {
            return SuspendedTransactionState.callSuspended(() -> runInScope(definition, adapter, call, proceed));
        }
        return runInScope(definition, adapter, call, proceed);
    }

    /** Runs the call in its scope: one that settles when the method returns, or when its result completes (A1, A2). */
    private <C> @Nullable Object runInScope(ScopeDefinition definition, @Nullable AsyncReturnAdapter adapter, C call,
            ScopeFunction<C, @Nullable Object, Throwable> proceed) throws Throwable {
        CompensationTemplate scopes = template.get();
        if (adapter != null) {
            return adapter.invokeInScope(scopes, definition, () -> proceed.apply(call));
        }
        return scopes.execute(definition, call, proceed);
    }

    private boolean startsOwnTransaction(Method method, @Nullable Class<?> targetClass) {
        TransactionAttributeSource attributes = transactionAttributes;
        if (attributes == null) {
            return false;
        }
        TransactionAttribute attribute = attributes.getTransactionAttribute(method, targetClass);
        if (attribute == null) {
            return false;
        }
        int propagation = attribute.getPropagationBehavior();
        return propagation == TransactionDefinition.PROPAGATION_REQUIRES_NEW
                || propagation == TransactionDefinition.PROPAGATION_NOT_SUPPORTED;
    }
}
