package io.github.compensation.spring.aspectj;

import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.spring.aop.CompensationAspectSupport;
import io.github.compensation.spring.aop.CompensationAttributeSource;
import java.lang.reflect.Method;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.annotation.DeclarePrecedence;
import org.aspectj.lang.annotation.Pointcut;
import org.aspectj.lang.reflect.MethodSignature;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.interceptor.TransactionAttributeSource;

/**
 * Opens a scope around each execution of a method annotated with {@code @RollbackOnceFailed} or
 * {@code @DispatchAfterCommit}, and of each public method of a type so annotated, once woven into the application's
 * classes by the AspectJ compiler. Unlike the proxy-based advisor, it also advises calls through {@code this}. As with
 * Spring's {@code AnnotationTransactionAspect}, the weaver sees annotations on the class and its methods only: not on
 * interfaces, and not composed (meta-)annotations.
 *
 * <p>It does what {@link io.github.compensation.spring.aop.CompensationInterceptor} does: the definition comes from a
 * {@link CompensationAttributeSource}, the work is done by a {@link CompensationTemplate}. The aspect is a singleton
 * per class loader: the starter configures it when {@code compensation.mode=aspectj} and resets it when the context
 * closes; code without Spring calls {@link #configure} on {@code Aspects.aspectOf(CompensationAspect.class)}. An
 * advised method fails with {@link IllegalStateException} while the aspect is not configured, so that woven classes
 * never run without the scope they ask for, nor with a second scope from a proxy.
 *
 * <p>The aspect takes precedence over every other aspect woven into the same method, Spring's
 * {@code AnnotationTransactionAspect} included: with {@code @EnableTransactionManagement(mode = ASPECTJ)} the
 * compensations run after the database rolled back (clause T4). A proxy-based {@code @Transactional} stays outside
 * the woven method instead: the scope then belongs to that transaction (clause T2).
 *
 * <p>The starter's jar ships the aspect finished by the AspectJ compiler: name the starter as an aspect library of the
 * AspectJ compiler (for Maven, {@code aspectLibraries} of {@code dev.aspectj:aspectj-maven-plugin}).
 */
@Aspect
@DeclarePrecedence("io.github.compensation.spring.aspectj.CompensationAspect, *")
public class CompensationAspect {

    private volatile @Nullable WovenCallSupport setup;

    /**
     * Created once per class loader by the AspectJ runtime; obtain it with
     * {@code Aspects.aspectOf(CompensationAspect.class)}.
     */
    public CompensationAspect() {
    }

    /**
     * Gives the aspect what it runs each advised execution with, replacing any earlier configuration.
     *
     * @param source   reads the annotations
     * @param template runs the scopes
     */
    public void configure(CompensationAttributeSource source, CompensationTemplate template) {
        configure(new WovenCallSupport(source, template, null));
    }

    /**
     * Gives the aspect what it runs each advised execution with, including the application's transaction attributes
     * so that methods starting their own transaction settle on return (see {@link CompensationAspectSupport}).
     *
     * @param source                reads the annotations
     * @param template              runs the scopes
     * @param transactionAttributes the application's transaction attributes, or {@code null}
     */
    public void configure(CompensationAttributeSource source, CompensationTemplate template,
            @Nullable TransactionAttributeSource transactionAttributes) {
        configure(new WovenCallSupport(source, template, transactionAttributes));
    }

    private void configure(WovenCallSupport support) {
        this.setup = support;
    }

    /**
     * Forgets the configuration; advised methods fail until {@link #configure} is called again. The starter calls it
     * when its application context closes.
     */
    public void reset() {
        this.setup = null;
    }

    /** Executions of annotated methods, and of public methods of annotated types; never static methods. */
    @Pointcut("execution(@io.github.compensation.RollbackOnceFailed !static * *(..))"
            + " || execution(@io.github.compensation.DispatchAfterCommit !static * *(..))"
            + " || (execution(public !static * *(..)) && (within(@io.github.compensation.RollbackOnceFailed *)"
            + " || within(@io.github.compensation.DispatchAfterCommit *)))")
    void compensatedExecution() {
    }

    /**
     * Runs the advised execution in a scope.
     *
     * @param joinPoint the execution
     * @return what the method returned
     * @throws Throwable what the method threw, unchanged
     */
    @Around("compensatedExecution()")
    public @Nullable Object aroundCompensatedExecution(ProceedingJoinPoint joinPoint) throws Throwable {
        Method method = ((MethodSignature) joinPoint.getSignature()).getMethod();
        WovenCallSupport current = this.setup;
        if (current == null) {
            throw new IllegalStateException("CompensationAspect advises " + method.getDeclaringClass().getSimpleName()
                    + "." + method.getName() + " but is not configured: set compensation.mode=aspectj in the Spring"
                    + " Boot application, or call configure(...) on Aspects.aspectOf(CompensationAspect.class)");
        }
        Object target = joinPoint.getTarget();
        return current.invoke(method, target != null ? target.getClass() : method.getDeclaringClass(), joinPoint);
    }

    /** The shared call logic, opened up to the aspect. */
    private static final class WovenCallSupport extends CompensationAspectSupport {

        WovenCallSupport(CompensationAttributeSource source, CompensationTemplate template,
                @Nullable TransactionAttributeSource transactionAttributes) {
            super(source, template, transactionAttributes);
        }

        @Nullable Object invoke(Method method, Class<?> targetClass, ProceedingJoinPoint call) throws Throwable {
            return invokeInScope(method, targetClass, call, ProceedingJoinPoint::proceed);
        }
    }
}
