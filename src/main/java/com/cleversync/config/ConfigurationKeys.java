package com.cleversync.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.stereotype.Component;

/**
 * Every key under {@code cleversync.} must be one the service knows. Spring Boot binds a misspelt
 * key to nothing and runs on the default: a district's {@code shedule: "0 0 5 * * ?"} would sync
 * at the default 02:00 without a word. The known keys are read off {@link CleverSyncProperties}
 * itself, so the check never falls behind the configuration contract.
 *
 * <p>Environment variables are not checked: their {@code _} stands for both {@code .} and {@code -},
 * so a variable cannot be told apart from a misspelling of one.
 */
@Component(ConfigurationKeys.BEAN)
public final class ConfigurationKeys {
    /** The bean's name: what is built from the configuration depends on it ({@code @DependsOn}). */
    public static final String BEAN = "configurationKeys";
    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("cleversync");

    /**
     * @throws InvalidConfigurationException naming the first unknown key (in name order) and the
     *                                       nearest known key at its place
     */
    ConfigurationKeys(Environment environment) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource names
                    && !(source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource)) {
                names.stream().filter(ROOT::isAncestorOf).sorted().forEach(ConfigurationKeys::check);
            }
        }
    }

    /** Walks the name down the configuration records: a record's components, a map's keys, a list's items. */
    private static void check(ConfigurationPropertyName name) {
        Class<?> type = CleverSyncProperties.class;
        int i = 1;
        while (i < name.getNumberOfElements()) {
            String element = name.getElement(i, Form.UNIFORM);
            Optional<RecordComponent> known = type.isRecord()
                    ? Arrays.stream(type.getRecordComponents()).filter(c -> uniform(c.getName()).equals(element)).findFirst()
                    : Optional.empty();
            if (known.isEmpty()) {
                throw unknown(name.chop(i + 1), type, element);
            }
            RecordComponent component = known.get();
            i++;
            if (Map.class.isAssignableFrom(component.getType())) {
                i++; // the operator's own key (a district, a school)
                type = (Class<?>) ((ParameterizedType) component.getGenericType()).getActualTypeArguments()[1];
            } else if (Collection.class.isAssignableFrom(component.getType())) {
                return; // list items ([0], [1], …) or a comma-separated value
            } else {
                type = component.getType();
            }
        }
    }

    private static InvalidConfigurationException unknown(ConfigurationPropertyName key, Class<?> parent, String element) {
        String problem = parent.isRecord() ? "is not a known key" : "is not a known key (its parent takes a value, not keys)";
        if (parent.isRecord()) {
            String nearest = Arrays.stream(parent.getRecordComponents()).map(RecordComponent::getName)
                    .min(Comparator.comparingInt(c -> distance(uniform(c), element))).orElseThrow();
            if (distance(uniform(nearest), element) <= Math.max(2, element.length() / 3)) {
                problem += "; did you mean '" + dashed(nearest) + "'?";
            } else {
                problem += "; the keys known here are " + Arrays.stream(parent.getRecordComponents())
                        .map(c -> dashed(c.getName())).toList();
            }
        }
        return new InvalidConfigurationException(key.toString(), problem);
    }

    /** Lower case, letters and digits only: how Spring Boot's relaxed binding compares names. */
    private static String uniform(String name) {
        return name.replaceAll("[^A-Za-z0-9]", "").toLowerCase();
    }

    /** A record component as the kebab-case key operators write. */
    private static String dashed(String component) {
        return component.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
