package io.github.compensation.journal;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * Writes and reads the arguments of durable commands as JSON, each with the declared type of its parameter
 * (clause J6). No Java serialization, no type information taken from the runtime class: what the method declares is
 * what is written and read back. Thread-safe.
 */
public final class JsonCodec {

    private final ObjectMapper mapper;

    /** A codec with Jackson's defaults, except that a value without properties fails instead of becoming {}. */
    public JsonCodec() {
        this(JsonMapper.builder().enable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build());
    }

    /**
     * A codec on the application's mapper (its modules, naming and date settings), made strict the way the journal
     * needs it: a value without properties fails instead of becoming {@code {}}. The application's mapper itself is
     * left unchanged.
     *
     * @param application the application's mapper, e.g. Spring Boot's {@code JsonMapper} bean
     * @return the codec
     */
    public static JsonCodec basedOn(JsonMapper application) {
        return new JsonCodec(application.rebuild().enable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build());
    }

    /**
     * @param mapper the mapper to use as it is
     */
    public JsonCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Writes the arguments of a call, each with its parameter's declared type, and checks that they read back.
     *
     * @param method the method called
     * @param args   its arguments
     * @return a JSON array
     * @throws UnwritableCommandException naming the parameter, its declared type and the reason
     */
    public String writeArguments(Method method, @Nullable Object[] args) {
        Type[] types = method.getGenericParameterTypes();
        ArrayNode array = mapper.createArrayNode();
        for (int i = 0; i < types.length; i++) {
            array.add(write(types[i], args[i], "argument " + i + " of " + method.getDeclaringClass().getSimpleName()
                    + "." + method.getName()));
        }
        return array.toString();
    }

    /**
     * Writes a handler's payload with the declared type and checks that it reads back.
     *
     * @param type    the payload type the handler declares
     * @param payload the payload
     * @param what    how to name the payload in a message
     * @return a JSON array of one element
     */
    public String writePayload(Type type, @Nullable Object payload, String what) {
        ArrayNode array = mapper.createArrayNode();
        array.add(write(type, payload, what));
        return array.toString();
    }

    private JsonNode write(Type declared, @Nullable Object value, String what) {
        JavaType type = mapper.getTypeFactory().constructType(declared);
        if (declared instanceof Class<?> scalar && SCALARS.contains(scalar)) {
            return writeScalar(type, value, what);
        }
        try {
            String json = mapper.writerFor(type).writeValueAsString(value);
            JsonNode node = mapper.readTree(json);
            Object readBack = mapper.readerFor(type).readValue(node);
            JsonNode again = mapper.readTree(mapper.writerFor(type).writeValueAsString(readBack));
            if (!node.equals(again)) {
                throw new IllegalArgumentException("it does not read back the same: written " + abbreviate(json)
                        + ", read back as " + abbreviate(again.toString()) + "; a property can be written but not"
                        + " read (no setter or constructor parameter for it?)");
            }
            return node;
        }
        catch (JacksonException | IllegalArgumentException failure) {
            throw new UnwritableCommandException("Cannot journal " + what + ": a value of "
                    + (value == null ? "null" : value.getClass().getName()) + " cannot be written as JSON and read"
                    + " back as its declared type " + type.toCanonical() + " (" + reason(failure)
                    + "). Pass plain data (records, strings, numbers, collections of them) or register the command"
                    + " as a lambda, which is not recoverable after a crash", failure);
        }
    }

    /**
     * Strings, numbers, booleans and characters, declared as such: written straight into the tree through the
     * mapper (its serializers, with no text in between), and read back once. There is no property to lose, so the
     * comparison with a second writing is left out.
     */
    private JsonNode writeScalar(JavaType type, @Nullable Object value, String what) {
        try {
            JsonNode node = mapper.valueToTree(value);
            Object readBack = mapper.treeToValue(node, type);
            if (readBack == null && value != null) {
                throw new IllegalArgumentException("it reads back as null");
            }
            return node;
        }
        catch (JacksonException | IllegalArgumentException failure) {
            throw new UnwritableCommandException("Cannot journal " + what + ": a value of "
                    + (value == null ? "null" : value.getClass().getName()) + " cannot be written as JSON and read"
                    + " back as its declared type " + type.toCanonical() + " (" + reason(failure) + ")", failure);
        }
    }

    private static final java.util.Set<Class<?>> SCALARS = java.util.Set.of(String.class, Long.class, long.class,
            Integer.class, int.class, Short.class, short.class, Byte.class, byte.class, Boolean.class, boolean.class,
            Character.class, char.class, Double.class, double.class, Float.class, float.class);

    /**
     * Reads back the arguments of a call.
     *
     * @param method  the method to call
     * @param payload the JSON array written by {@link #writeArguments(Method, Object[])}
     * @return the arguments
     * @throws UnreadableCommandException when the JSON does not fit the method
     */
    public @Nullable Object[] readArguments(Method method, String payload) {
        return read(method.getGenericParameterTypes(), payload, method.toGenericString());
    }

    /**
     * Reads back a handler's payload.
     *
     * @param type    the payload type the handler declares
     * @param payload the JSON array written by {@link #writePayload(Type, Object, String)}
     * @param what    how to name the handler in a message
     * @return the payload
     */
    public @Nullable Object readPayload(Type type, String payload, String what) {
        return read(new Type[] {type}, payload, what)[0];
    }

    private @Nullable Object[] read(Type[] types, String payload, String what) {
        JsonNode node;
        try {
            node = mapper.readTree(payload);
        }
        catch (JacksonException failure) {
            throw new UnreadableCommandException("Corrupt payload for " + what + ": not JSON ("
                    + failure.getOriginalMessage() + ")", failure);
        }
        if (!(node instanceof ArrayNode array) || array.size() != types.length) {
            throw new UnreadableCommandException("Corrupt payload for " + what + ": expected a JSON array of "
                    + types.length + " argument(s) but found " + abbreviate(payload));
        }
        Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            JavaType type = mapper.getTypeFactory().constructType(types[i]);
            try {
                values[i] = mapper.readerFor(type).readValue(array.get(i));
            }
            catch (JacksonException | IllegalArgumentException failure) {
                throw new UnreadableCommandException("Corrupt payload for " + what + ": argument " + i
                        + " cannot be read as " + type.toCanonical() + " (" + failure.getMessage() + ")", failure);
            }
        }
        return values;
    }

    /**
     * The erased parameter types of a method, as stored.
     *
     * @param method the method
     * @return class names, comma separated
     */
    public static String parameterTypes(Method method) {
        return PARAMETER_TYPES.computeIfAbsent(method, key -> Arrays.stream(key.getParameterTypes()).map(Class::getName)
                .collect(Collectors.joining(",")));
    }

    private static final java.util.Map<Method, String> PARAMETER_TYPES = new java.util.concurrent.ConcurrentHashMap<>();

    private static String reason(Throwable failure) {
        String message = failure instanceof JacksonException jackson ? jackson.getOriginalMessage()
                : failure.getMessage();
        return message == null ? failure.getClass().getSimpleName() : message;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
