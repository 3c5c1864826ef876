package dev.proxima.ppo.config;

/**
 * An enum option with the name the REST API spells it by ("linear", "klPenalty"). The core maps
 * names itself rather than through Jackson annotations, so it stays free of web types.
 */
public interface JsonNamed {

    /** The constant's name in lower camel case: KL_PENALTY is "klPenalty". */
    default String jsonName() {
        String[] words = ((Enum<?>) this).name().toLowerCase(java.util.Locale.ROOT).split("_");
        StringBuilder name = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return name.toString();
    }

    /** The option named {@code name}; an {@link InvalidConfigException} on {@code field} otherwise. */
    static <E extends Enum<E> & JsonNamed> E parse(Class<E> type, String field, String name) {
        E[] options = type.getEnumConstants();
        for (E option : options) {
            if (option.jsonName().equals(name)) {
                return option;
            }
        }
        String[] names = new String[options.length];
        for (int i = 0; i < options.length; i++) {
            names[i] = options[i].jsonName();
        }
        throw new InvalidConfigException(field, "must be one of " + String.join(", ", names) + ", was '" + name + "'");
    }

    /** {@link #parse}, with null for null. */
    static <E extends Enum<E> & JsonNamed> E parseOrNull(Class<E> type, String field, String name) {
        return name == null ? null : parse(type, field, name);
    }

    /** The JSON name, or null for null. */
    static String nameOf(JsonNamed option) {
        return option == null ? null : option.jsonName();
    }
}
