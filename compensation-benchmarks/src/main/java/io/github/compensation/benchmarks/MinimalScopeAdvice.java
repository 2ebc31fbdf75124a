package io.github.compensation.benchmarks;

import java.util.Objects;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/**
 * A measuring control, not a product: the least code that does case 2's essential work, so that the benchmark can
 * show, in the same run, what that work costs at the very least next to a no-op interceptor. It opens a scope (one
 * thread-local slot, read once per call, as the engine's {@code ScopeHolder} does), reads the clock at its start when
 * timed (clause H1 asks every finished scope's report for its start and duration), lets the target push rollbacks on a
 * singly linked stack and queue dispatches on a singly linked queue through {@link MinimalScope}; on return it runs
 * the dispatches and drops the rollbacks, on an exception it runs the rollbacks newest first and rethrows. Nothing
 * else: no names, descriptions, reports, listeners, retries, transactions or policies; a failing dispatch propagates
 * and skips those after it. A call inside an open scope joins it.
 */
final class MinimalScopeAdvice implements MethodInterceptor {

    private static final ThreadLocal<@Nullable Object[]> SLOT = ThreadLocal.withInitial(() -> new Object[1]);

    private final boolean timed;

    /** @param timed whether to read {@link System#nanoTime()} at each scope's start */
    MinimalScopeAdvice(boolean timed) {
        this.timed = timed;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        @Nullable Object[] slot = SLOT.get();
        if (slot[0] != null) {
            return invocation.proceed();
        }
        MinimalScope scope = new MinimalScope(timed ? System.nanoTime() : 0L);
        slot[0] = scope;
        try {
            Object result;
            try {
                result = invocation.proceed();
            }
            catch (Throwable failure) {
                for (Node node = scope.top; node != null; node = node.next) {
                    try {
                        node.command.run();
                    }
                    catch (Throwable rollbackFailure) {
                        failure.addSuppressed(rollbackFailure);
                    }
                }
                throw failure;
            }
            // committed: the rollbacks are dropped with the scope; the dispatches run with it still bound
            for (Node node = scope.head; node != null; node = node.next) {
                node.command.run();
            }
            return result;
        }
        finally {
            slot[0] = null;
        }
    }

    /** The open scope's commands, and the static API the target registers them through. */
    static final class MinimalScope {

        final long start;
        @Nullable Node top;
        @Nullable Node head;
        @Nullable Node tail;

        MinimalScope(long start) {
            this.start = start;
        }

        /** Pushes a rollback command on the open scope's stack. */
        static void rollback(Runnable command) {
            MinimalScope scope = current();
            scope.top = new Node(command, scope.top);
        }

        /** Queues a dispatch command on the open scope, after those queued before. */
        static void dispatch(Runnable command) {
            MinimalScope scope = current();
            Node node = new Node(command, null);
            Node last = scope.tail;
            scope.tail = node;
            if (last == null) {
                scope.head = node;
            }
            else {
                last.next = node;
            }
        }

        private static MinimalScope current() {
            return (MinimalScope) Objects.requireNonNull(SLOT.get()[0], "no minimal scope is open on this thread");
        }
    }

    private static final class Node {
        final Runnable command;
        @Nullable Node next;

        Node(Runnable command, @Nullable Node next) {
            this.command = command;
            this.next = next;
        }
    }
}
