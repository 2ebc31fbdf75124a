/**
 * Spring Boot auto-configuration of the journal, switched on with {@code compensation.journal.enabled=true}.
 */
@NullMarked
package io.github.compensation.journal.autoconfigure;

import org.jspecify.annotations.NullMarked;
