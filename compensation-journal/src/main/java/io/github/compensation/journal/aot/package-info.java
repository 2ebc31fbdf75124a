/**
 * Ahead-of-time support for the journal: the runtime hints a native image needs for what the journal reads from the
 * class path, reflects on or proxies.
 */
@NullMarked
package io.github.compensation.journal.aot;

import org.jspecify.annotations.NullMarked;
