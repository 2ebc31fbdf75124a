package io.github.compensation.spring.aop;

import io.github.compensation.CompensationTemplate;
import io.github.compensation.ScopeDefinition;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;

/**
 * Runs each advised invocation inside a scope: the definition comes from the {@link CompensationAttributeSource}, the
 * work is done by the {@link CompensationTemplate}. Stateless apart from its collaborators; thread-safe.
 */
public class CompensationInterceptor implements MethodInterceptor {

    private final CompensationAttributeSource source;
    private final CompensationTemplate template;

    /**
     * Creates the interceptor.
     *
     * @param source   reads the annotations
     * @param template runs the scopes
     */
    public CompensationInterceptor(CompensationAttributeSource source, CompensationTemplate template) {
        this.source = source;
        this.template = template;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Class<?> targetClass = target != null ? AopUtils.getTargetClass(target) : null;
        ScopeDefinition definition = source.getDefinition(invocation.getMethod(), targetClass);
        if (definition == null) {
            return invocation.proceed();
        }
        return template.<@Nullable Object, Throwable>execute(definition, invocation::proceed);
    }
}
