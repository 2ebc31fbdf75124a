/**
 * Reports of settled scopes: what ran, what failed, what was discarded, and how long it took (clause H1).
 */
@NullMarked
package io.github.compensation.report;

import org.jspecify.annotations.NullMarked;
