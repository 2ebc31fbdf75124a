package io.github.compensation.spring.aop;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.Propagation;
import io.github.compensation.RetrySpec;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.RollbackRules;
import io.github.compensation.ScopeDefinition;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.KotlinDetector;
import org.springframework.core.MethodClassKey;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Reads {@link RollbackOnceFailed} and {@link DispatchAfterCommit} into a {@link ScopeDefinition}, cached per method
 * and target class. Like Spring's transaction attribute source, it looks at the most specific method first (including
 * the interface and superclass methods it overrides), then at its class, then at the interface method and its type.
 * Annotations on a type apply to its public methods only; a non-public method must be annotated itself.
 *
 * <p>Thread-safe. Conflicting annotations, and a return type the advice cannot follow (a {@link Future} that is not
 * a {@code CompletionStage}, a reactive type without the {@code compensation-reactor} module, a Kotlin suspend
 * function), fail with {@link IllegalStateException} naming the method when it is first examined, which for proxied
 * beans happens while the application starts (clauses E3, A4).
 */
public class CompensationAttributeSource {

    private static final Optional<ScopeDefinition> NONE = Optional.empty();

    private static final String PUBLISHER = "org.reactivestreams.Publisher";

    private final RetrySpec defaultRetry;
    private final List<AsyncReturnAdapter> returnAdapters;
    private final Map<MethodClassKey, Optional<ScopeDefinition>> cache = new ConcurrentHashMap<>(256);
    private final Map<Method, LastLookup> lastLookups = new ConcurrentHashMap<>(256);

    /**
     * Creates a source whose annotation retry attributes fall back to {@code defaultRetry}.
     *
     * @param defaultRetry the application-wide retry
     */
    public CompensationAttributeSource(RetrySpec defaultRetry) {
        this(defaultRetry, List.of(new CompletionStageReturnAdapter()));
    }

    /**
     * Creates a source that knows which asynchronous return types the advice follows (clauses A1, A2): a method
     * returning a {@link Future} that none of the adapters supports, or a reactive type, fails when it is first
     * examined (A4).
     *
     * @param defaultRetry   the application-wide retry
     * @param returnAdapters the adapters, in the order they are asked
     */
    public CompensationAttributeSource(RetrySpec defaultRetry, List<? extends AsyncReturnAdapter> returnAdapters) {
        this.defaultRetry = defaultRetry;
        this.returnAdapters = List.copyOf(returnAdapters);
    }

    /**
     * The adapter that follows what {@code method} returns, for a method with a scope definition.
     *
     * @param method the invoked method
     * @return the adapter, or {@code null} when the method's result is not asynchronous
     */
    public @Nullable AsyncReturnAdapter getReturnAdapter(Method method) {
        Class<?> returnType = method.getReturnType();
        if (returnType.isPrimitive() || returnType == Object.class) {
            return null;
        }
        for (AsyncReturnAdapter adapter : returnAdapters) {
            if (adapter.supports(returnType)) {
                return adapter;
            }
        }
        return null;
    }

    /**
     * The scope definition for invoking {@code method} on an instance of {@code targetClass}.
     *
     * @param method      the invoked method, possibly an interface method
     * @param targetClass the class of the target, or {@code null} when unknown
     * @return the definition, or {@code null} when the method is not annotated
     */
    public @Nullable ScopeDefinition getDefinition(Method method, @Nullable Class<?> targetClass) {
        if (method.getDeclaringClass() == Object.class) {
            return null;
        }
        LastLookup last = lastLookups.get(method);
        if (last != null && last.targetClass() == targetClass) {
            return last.definition().orElse(null);
        }
        MethodClassKey key = new MethodClassKey(method, targetClass);
        Optional<ScopeDefinition> cached = cache.get(key);
        if (cached == null) {
            cached = Optional.ofNullable(compute(method, targetClass));
            cache.put(key, cached.isPresent() ? cached : NONE);
        }
        lastLookups.put(method, new LastLookup(targetClass, cached));
        return cached.orElse(null);
    }

    /** The most recent answer for a method: most methods are only ever invoked on one target class. */
    private record LastLookup(@Nullable Class<?> targetClass, Optional<ScopeDefinition> definition) {
    }

    private @Nullable ScopeDefinition compute(Method method, @Nullable Class<?> targetClass) {
        if (Modifier.isStatic(method.getModifiers())) {
            return null;
        }
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        RollbackOnceFailed rollback = find(specific, method, targetClass, RollbackOnceFailed.class);
        DispatchAfterCommit dispatch = find(specific, method, targetClass, DispatchAfterCommit.class);
        if (rollback == null && dispatch == null) {
            return null;
        }
        Class<?> owner = targetClass != null ? ClassUtils.getUserClass(targetClass) : specific.getDeclaringClass();
        String name = owner.getSimpleName() + "." + method.getName();
        checkReturnType(name, specific);
        if (specific != method) {
            checkReturnType(name, method);
        }
        Propagation propagation = propagation(name, rollback, dispatch);
        RollbackRules rules = rollback == null ? RollbackRules.ALL
                : new RollbackRules(List.of(rollback.rollbackFor()), List.of(rollback.noRollbackFor()));
        return new ScopeDefinition(name, rollback != null, dispatch != null, propagation, rules, retry(name, rollback),
                rollback != null && rollback.parallel());
    }

    /**
     * The annotation on the method, else on its class; a class-level annotation applies to public methods only, as the
     * annotations document.
     */
    private static <A extends java.lang.annotation.Annotation> @Nullable A find(Method specific, Method method,
            @Nullable Class<?> targetClass, Class<A> type) {
        boolean typeLevel = Modifier.isPublic(specific.getModifiers());
        A found = AnnotatedElementUtils.findMergedAnnotation(specific, type);
        if (found == null && typeLevel) {
            found = AnnotatedElementUtils.findMergedAnnotation(specific.getDeclaringClass(), type);
        }
        if (found == null && typeLevel && targetClass != null) {
            found = AnnotatedElementUtils.findMergedAnnotation(ClassUtils.getUserClass(targetClass), type);
        }
        if (found == null && specific != method) {
            found = AnnotatedElementUtils.findMergedAnnotation(method, type);
            if (found == null && typeLevel) {
                found = AnnotatedElementUtils.findMergedAnnotation(method.getDeclaringClass(), type);
            }
        }
        return found;
    }

    /**
     * Refuses a result the advice cannot follow (clause A4): its scope would settle when the method returns, before
     * the work it stands for has ended, which is silently wrong.
     */
    private void checkReturnType(String name, Method method) {
        Class<?> returnType = method.getReturnType();
        if (returnType.isPrimitive() || returnType == Object.class || getReturnAdapter(method) != null) {
            if (KotlinDetector.isSuspendingFunction(method)) {
                throw new IllegalStateException(unfollowable(name, method, "a Kotlin suspend function")
                        + " Return a CompletableFuture, or call a non-suspending annotated method from the coroutine");
            }
            return;
        }
        if (CompletionStage.class.isAssignableFrom(returnType)) {
            throw new IllegalStateException(unfollowable(name, method, "a CompletionStage implementation the advice"
                    + " cannot hand back") + " Declare the return type as CompletionStage or CompletableFuture");
        }
        if (Future.class.isAssignableFrom(returnType)) {
            throw new IllegalStateException(unfollowable(name, method, "a Future that is not a CompletionStage")
                    + " Return a CompletableFuture (or CompletionStage), which the advice follows");
        }
        if (isReactive(returnType)) {
            throw new IllegalStateException(unfollowable(name, method, "a reactive type")
                    + " Add io.github.compensation:compensation-reactor (with Reactor) to the class path, which"
                    + " follows Mono, Flux and the other types of Spring's ReactiveAdapterRegistry");
        }
        if (KotlinDetector.isSuspendingFunction(method)) {
            throw new IllegalStateException(unfollowable(name, method, "a Kotlin suspend function")
                    + " Return a CompletableFuture, or call a non-suspending annotated method from the coroutine");
        }
    }

    private static String unfollowable(String name, Method method, String what) {
        return name + " returns " + method.getGenericReturnType().getTypeName() + ", " + what + ": the compensation"
                + " advice cannot follow it, so its scope would settle before the work has ended (clause A4).";
    }

    private static boolean isReactive(Class<?> returnType) {
        if (Flow.Publisher.class.isAssignableFrom(returnType)
                || ReactiveAdapterRegistry.getSharedInstance().getAdapter(returnType) != null) {
            return true;
        }
        for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(returnType)) {
            if (type.getName().equals(PUBLISHER)) {
                return true;
            }
        }
        return returnType.getName().equals(PUBLISHER);
    }

    private static Propagation propagation(String name, @Nullable RollbackOnceFailed rollback,
            @Nullable DispatchAfterCommit dispatch) {
        if (rollback != null && dispatch != null && rollback.propagation() != dispatch.propagation()) {
            throw new IllegalStateException(name + " declares propagation " + rollback.propagation()
                    + " on @RollbackOnceFailed but " + dispatch.propagation() + " on @DispatchAfterCommit: both"
                    + " annotations open one scope, so give them the same propagation");
        }
        return rollback != null ? rollback.propagation()
                : Objects.requireNonNull(dispatch, "one of the annotations is present").propagation();
    }

    private @Nullable RetrySpec retry(String name, @Nullable RollbackOnceFailed rollback) {
        if (rollback == null || (rollback.attempts() == 0 && rollback.delay() < 0 && rollback.multiplier() == 0
                && rollback.maxDelay() < 0)) {
            return null;
        }
        try {
            int attempts = rollback.attempts() != 0 ? rollback.attempts() : defaultRetry.maxAttempts();
            Duration delay = rollback.delay() >= 0 ? Duration.of(rollback.delay(), rollback.timeUnit().toChronoUnit())
                    : defaultRetry.delay();
            double multiplier = rollback.multiplier() != 0 ? rollback.multiplier() : defaultRetry.multiplier();
            Duration maxDelay = rollback.maxDelay() >= 0
                    ? Duration.of(rollback.maxDelay(), rollback.timeUnit().toChronoUnit())
                    : defaultRetry.maxDelay().compareTo(delay) < 0 ? delay : defaultRetry.maxDelay();
            return new RetrySpec(attempts, delay, multiplier, maxDelay);
        }
        catch (IllegalArgumentException invalid) {
            throw new IllegalStateException("Invalid retry on @RollbackOnceFailed of " + name + ": "
                    + invalid.getMessage(), invalid);
        }
    }
}
