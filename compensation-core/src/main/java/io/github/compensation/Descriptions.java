package io.github.compensation;


/**
 * Default descriptions for commands registered without one.
 */
final class Descriptions {

    private Descriptions() {
    }

    /**
     * Describes a command by the class that defined it: {@code "lambda in TripService"} for a lambda or method
     * reference, the simple class name otherwise.
     */
    static String describe(Command command) {
        if (command == null) {
            throw new NullPointerException("command must not be null");
        }
        String name = command.getClass().getName();
        int lambda = name.indexOf("$$Lambda");
        if (lambda >= 0) {
            return "lambda in " + simpleName(name.substring(0, lambda));
        }
        return simpleName(name);
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
