package io.github.compensation.journal;

import org.jspecify.annotations.Nullable;

/**
 * A durable command as it is stored (clause J1): either a call of a bean method, recorded with the bean's declared
 * type, optional bean name, method name, erased parameter types and the arguments as a JSON array written with the
 * parameters' declared types; or a named handler with its payload.
 *
 * @param targetType for a bean call the declared type, for a named handler {@link #HANDLER}
 * @param beanName   the bean's name when the call named one, otherwise {@code null}
 * @param method     for a bean call the method name, for a named handler the handler's name
 * @param paramTypes for a bean call the erased parameter types, comma separated; for a named handler the payload's
 *                   declared type
 * @param payload    the arguments as a JSON array
 */
public record RecordedCall(String targetType, @Nullable String beanName, String method, String paramTypes,
                           String payload) {

    /** The {@link #targetType()} of a named handler. */
    public static final String HANDLER = "@handler";

    /**
     * Whether this is a named handler rather than a bean call.
     *
     * @return {@code true} for a named handler
     */
    public boolean isHandler() {
        return HANDLER.equals(targetType);
    }

    /**
     * A readable description: {@code FlightClient.cancel} or {@code handler cancel-flight}.
     *
     * @return the description
     */
    public String describe() {
        if (isHandler()) {
            return "handler " + method;
        }
        int dot = targetType.lastIndexOf('.');
        return targetType.substring(dot + 1).replace('$', '.') + "." + method;
    }
}
