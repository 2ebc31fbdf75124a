package io.github.compensation;

/**
 * How a scope relates to a scope that is already open on the same thread.
 */
public enum Propagation {

    /**
     * Opens a nested scope inside the current one, like a savepoint (clause N1). When the nested call throws, its own
     * compensations run at once and its dispatches are dropped; when it returns normally, its commands join the
     * enclosing scope, to be undone if that scope fails and dispatched when it commits. With no enclosing scope, a
     * new top-level scope is opened.
     */
    REQUIRED,

    /**
     * Opens a scope that never joins the enclosing scope: it settles like a top-level scope, when its method returns
     * or, if that happens inside a transaction, when that transaction completes, whatever the enclosing scope later
     * does (clause N2). To make it settle as soon as its method returns inside a caller's transaction, give the
     * method a transaction of its own, for example {@code @Transactional(propagation = REQUIRES_NEW)}.
     */
    REQUIRES_NEW
}
