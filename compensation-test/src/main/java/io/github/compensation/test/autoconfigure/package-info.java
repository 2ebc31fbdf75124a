/**
 * The auto-configuration behind {@link io.github.compensation.test.AutoConfigureCompensations}; applications do not use
 * it directly.
 */
@NullMarked
package io.github.compensation.test.autoconfigure;

import org.jspecify.annotations.NullMarked;
