package io.github.compensation.spring.aop;

import io.github.compensation.support.CompensationTemplate;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.transaction.interceptor.TransactionAttributeSource;

/**
 * Runs each advised invocation inside a scope: the definition comes from the {@link CompensationAttributeSource}, the
 * work is done by the {@link CompensationTemplate}. Stateless apart from its collaborators; thread-safe.
 *
 * <p>When the method starts a transaction of its own although the caller has one ({@code @Transactional} with
 * {@code REQUIRES_NEW} or {@code NOT_SUPPORTED}, read from the application's {@link TransactionAttributeSource}), the
 * method is its own transaction boundary (clause T1): its work is committed or rolled back when it returns, whatever
 * the caller's transaction does later. The scope must then settle on return too, instead of being tied to the
 * caller's transaction (T2); so the caller's transaction is set aside around the whole scope, exactly as the
 * transaction advice inside would set it aside around the method.
 */
public class CompensationInterceptor extends CompensationAspectSupport implements MethodInterceptor {

    /**
     * Creates an interceptor that does not look at {@code @Transactional}: a scope that returns inside a caller's
     * transaction is always tied to it.
     *
     * @param source   reads the annotations
     * @param template runs the scopes
     */
    public CompensationInterceptor(CompensationAttributeSource source, CompensationTemplate template) {
        this(source, template, null);
    }

    /**
     * Creates the interceptor.
     *
     * @param source                reads the annotations
     * @param template              runs the scopes
     * @param transactionAttributes the application's transaction attributes, to tell methods that start their own
     *                              transaction; {@code null} when there is no declarative transaction management
     */
    public CompensationInterceptor(CompensationAttributeSource source, CompensationTemplate template,
            @Nullable TransactionAttributeSource transactionAttributes) {
        super(source, template, transactionAttributes);
    }

    /**
     * Creates the interceptor with a template looked up at the first advised call (see
     * {@link CompensationAspectSupport#CompensationAspectSupport(CompensationAttributeSource, Supplier,
     * TransactionAttributeSource)}).
     *
     * @param source                reads the annotations
     * @param template              supplies the template that runs the scopes; asked once
     * @param transactionAttributes the application's transaction attributes, or {@code null}
     */
    public CompensationInterceptor(CompensationAttributeSource source, Supplier<CompensationTemplate> template,
            @Nullable TransactionAttributeSource transactionAttributes) {
        super(source, template, transactionAttributes);
    }

    @Override
    @SuppressWarnings("NullAway") // ScopeCallback<@Nullable Object, ...>: generic nullability needs JSpecify mode (JDK 21+)
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        return invokeInScope(invocation.getMethod(), target != null ? AopUtils.getTargetClass(target) : null,
                invocation, MethodInvocation::proceed);
    }
}
