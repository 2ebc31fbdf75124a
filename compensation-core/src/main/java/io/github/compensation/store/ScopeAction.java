package io.github.compensation.store;

/**
 * What a person did to a kept scope (clause O3). Every action is kept in the scope's history with who and when.
 */
public enum ScopeAction {

    /** Ran the failed or pending commands again (also asked for as "resume"). */
    RETRY,

    /** Marked it resolved: the person saw to it. */
    RESOLVE,

    /** Discarded what was left: it stays undone on purpose. */
    DISCARD,

    /** Added a note, nothing else. */
    NOTE
}
