package io.github.compensation.test;

/**
 * How tests name a command: by its whole description, or by the words it starts with, so that {@code "cancel hotel"}
 * names {@code "cancel hotel HO-17"} but not {@code "cancel hotels"}.
 */
final class DescriptionMatch {

    private DescriptionMatch() {
    }

    static boolean matches(String description, String expected) {
        return description.equals(expected)
                || (description.startsWith(expected) && description.charAt(expected.length()) == ' ');
    }
}
