/**
 * Integration with Spring's transaction synchronization: a scope that returns inside a transaction settles when that
 * transaction completes, and commands run detached from the finished transaction.
 */
@NullMarked
package io.github.compensation.spring.transaction;

import org.jspecify.annotations.NullMarked;
