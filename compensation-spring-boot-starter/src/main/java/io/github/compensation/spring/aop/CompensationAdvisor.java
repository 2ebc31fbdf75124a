package io.github.compensation.spring.aop;

import java.lang.reflect.Method;
import org.aopalliance.aop.Advice;
import org.springframework.aop.ClassFilter;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Advises every method for which the {@link CompensationAttributeSource} finds {@code @RollbackOnceFailed} or
 * {@code @DispatchAfterCommit}. Its order places it relative to other advice; by default the starter puts it outside
 * {@code @Transactional}, so that compensations run after the database rolled back (clause T4).
 */
public class CompensationAdvisor extends AbstractPointcutAdvisor {

    private final transient CompensationAttributeSource source;
    private final transient CompensationInterceptor interceptor;
    private final transient Pointcut pointcut = new StaticMethodMatcherPointcut() {
        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            return source.getDefinition(method, targetClass) != null;
        }

        @Override
        public ClassFilter getClassFilter() {
            return type -> !type.getName().startsWith("java.");
        }
    };

    /**
     * Creates the advisor.
     *
     * @param source      decides which methods are advised
     * @param interceptor the advice
     * @param order       the advisor's order
     */
    public CompensationAdvisor(CompensationAttributeSource source, CompensationInterceptor interceptor, int order) {
        this.source = source;
        this.interceptor = interceptor;
        setOrder(order);
    }

    @Override
    public Pointcut getPointcut() {
        return pointcut;
    }

    @Override
    public Advice getAdvice() {
        return interceptor;
    }
}
