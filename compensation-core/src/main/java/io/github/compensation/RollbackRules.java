package io.github.compensation;

import java.util.List;
import java.util.Objects;

/**
 * Decides whether an exception triggers the compensations of a scope (clause R5).
 *
 * <p>Rules are matched like Spring's rollback rules: for each rule, the distance from the thrown exception's class up
 * to the rule's type is measured, and the closest rule wins; on a tie the rollback rule wins. When no rule matches, the
 * exception triggers: every {@link Throwable}, checked exceptions included. Immutable and thread-safe.
 *
 * @param rollbackFor   types that trigger the compensations
 * @param noRollbackFor types that do not
 */
public record RollbackRules(List<Class<? extends Throwable>> rollbackFor,
                            List<Class<? extends Throwable>> noRollbackFor) {

    /** Every throwable triggers the compensations. */
    public static final RollbackRules ALL = new RollbackRules(List.of(), List.of());

    /**
     * Creates rules; the lists are copied.
     */
    public RollbackRules {
        rollbackFor = List.copyOf(Objects.requireNonNull(rollbackFor, "rollbackFor must not be null"));
        noRollbackFor = List.copyOf(Objects.requireNonNull(noRollbackFor, "noRollbackFor must not be null"));
    }

    /**
     * Tells whether the exception triggers the compensations.
     *
     * @param exception what the scope threw
     * @return {@code true} when the scope must roll back
     */
    public boolean triggersRollback(Throwable exception) {
        int rollbackDepth = closest(rollbackFor, exception.getClass());
        int noRollbackDepth = closest(noRollbackFor, exception.getClass());
        if (noRollbackDepth == Integer.MAX_VALUE) {
            return true;
        }
        return rollbackDepth <= noRollbackDepth;
    }

    private static int closest(List<Class<? extends Throwable>> types, Class<?> thrown) {
        int best = Integer.MAX_VALUE;
        for (Class<? extends Throwable> type : types) {
            int depth = depth(type, thrown, 0);
            if (depth < best) {
                best = depth;
            }
        }
        return best;
    }

    private static int depth(Class<?> type, Class<?> thrown, int depth) {
        if (thrown == type) {
            return depth;
        }
        if (thrown == Throwable.class || thrown.getSuperclass() == null) {
            return Integer.MAX_VALUE;
        }
        return depth(type, thrown.getSuperclass(), depth + 1);
    }
}
