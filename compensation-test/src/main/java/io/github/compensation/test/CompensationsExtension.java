package io.github.compensation.test;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit Jupiter extension that tells the scopes of one test from those of the others: before each test it binds a
 * test run to the test's thread (inherited by the threads that thread starts), and after it ends that run. Scopes
 * opened and faults armed on those threads belong to that test: {@link RecordedScopes} shows a test only its own, and
 * faults it armed die with it, also when tests run in parallel. See {@link ScopeRecorder} for the exact rule and its
 * limits. {@link AutoConfigureCompensations} registers it; register it yourself with
 * {@code @ExtendWith(CompensationsExtension.class)} when you use a {@link CompensationTestKit} without Spring.
 *
 * <p>Stateless; the run is kept in the test's extension store.
 */
public class CompensationsExtension implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(CompensationsExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put(TestRun.class, TestRun.start(context.getUniqueId()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestRun run = context.getStore(NAMESPACE).remove(TestRun.class, TestRun.class);
        if (run != null) {
            run.end();
        }
    }
}
