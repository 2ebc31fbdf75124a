package io.github.compensation.benchmarks;

import io.github.compensation.spi.CommandRunner;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.RetrySpec;
import io.github.compensation.spi.ScopeExecutionListener;
import io.github.compensation.spi.ScopeListener;
import io.github.compensation.spring.aop.CompensationAdvisor;
import io.github.compensation.reactor.CancellationPolicy;
import io.github.compensation.reactor.ReactorReturnAdapter;
import io.github.compensation.spring.aop.CompensationAttributeSource;
import io.github.compensation.spring.aop.CompletionStageReturnAdapter;
import io.github.compensation.spring.aop.CompensationInterceptor;
import io.github.compensation.spring.retry.RetryTemplateCommandRunner;
import io.github.compensation.spring.transaction.SpringTransactionBridge;
import java.util.List;
import org.aopalliance.intercept.MethodInterceptor;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.springframework.aop.aspectj.annotation.AspectJProxyFactory;
import org.springframework.aop.framework.ProxyFactory;

/**
 * Builds the proxies compared by the benchmarks, all class-based (CGLIB) as Spring Boot makes them by default.
 */
final class Proxies {

    private Proxies() {
    }

    static <T> T noOpInterceptor(T target) {
        ProxyFactory factory = new ProxyFactory(target);
        factory.setProxyTargetClass(true);
        factory.addAdvice((MethodInterceptor) invocation -> invocation.proceed());
        return proxy(factory);
    }

    /** The measuring control of case 2 ({@link MinimalScopeAdvice}), proxied as {@link #noOpInterceptor} is. */
    static <T> T minimalScope(T target, boolean timed) {
        ProxyFactory factory = new ProxyFactory(target);
        factory.setProxyTargetClass(true);
        factory.addAdvice(new MinimalScopeAdvice(timed));
        return proxy(factory);
    }

    static <T> T noOpAspect(T target) {
        AspectJProxyFactory factory = new AspectJProxyFactory(target);
        factory.setProxyTargetClass(true);
        factory.addAspect(NoOpAspect.class);
        return factory.getProxy();
    }

    /** The starter's advisor with the starter's default collaborators, listeners as given. */
    static <T> T compensation(T target, List<ScopeListener> listeners) {
        return compensation(target, listeners, List.of(), new RetryTemplateCommandRunner());
    }

    /** The starter's advisor with the given listeners and command runner. */
    static <T> T compensation(T target, List<ScopeListener> listeners,
            List<ScopeExecutionListener> executionListeners, CommandRunner runner) {
        CompensationTemplate template = CompensationTemplate.builder()
                .transactionBridge(new SpringTransactionBridge())
                .commandRunner(runner)
                .listeners(listeners)
                .executionListeners(executionListeners)
                .build();
        CompensationAttributeSource source = new CompensationAttributeSource(RetrySpec.ONCE,
                List.of(new CompletionStageReturnAdapter(), new ReactorReturnAdapter(CancellationPolicy.COMPENSATE)));
        ProxyFactory factory = new ProxyFactory(target);
        factory.setProxyTargetClass(true);
        factory.addAdvisor(new CompensationAdvisor(source, new CompensationInterceptor(source, template), 0));
        return proxy(factory);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(ProxyFactory factory) {
        return (T) factory.getProxy();
    }

    /** An around advice that only proceeds. */
    @Aspect
    public static class NoOpAspect {

        /**
         * Proceeds.
         *
         * @param call the intercepted call
         * @return its result
         * @throws Throwable its exception
         */
        @Around("execution(public * io.github.compensation.benchmarks.*Benchmark.Target.*(..))")
        public Object around(ProceedingJoinPoint call) throws Throwable {
            return call.proceed();
        }
    }
}
