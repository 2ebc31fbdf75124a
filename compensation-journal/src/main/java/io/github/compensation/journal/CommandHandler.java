package io.github.compensation.journal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the named handler of durable commands registered with
 * {@code rollback.appendHandler("cancel-flight", payload)} or
 * {@code dispatch.appendHandler("trip-booked", payload)} (clause J1).
 * The method takes exactly one parameter, the payload, whose declared type is what the payload is written and read
 * as. Names are unique in the application; keep a handler (or an alias) as long as journaled entries may refer to it,
 * otherwise they are parked as unreadable after a redeploy (J6).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CommandHandler {

    /**
     * The handler's name, stored in the journal.
     *
     * @return the name, e.g. {@code "cancel-flight"}
     */
    String value();
}
