package com.cleversync.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Kubernetes YAML read into fabric8's typed model as strictly as the API server reads it: every document must be a
 * kind the model knows, every field one its type declares (fabric8 keeps unknown fields in
 * {@code additionalProperties}, so they are looked for there), and a string field takes only a string. The one
 * custom resource without a fabric8 model, the Secrets Store CSI driver's SecretProviderClass, is read as a
 * {@link GenericKubernetesResource} and its spec checked by {@link SecretProviderClassSpec}.
 */
final class Manifests {
    static final String SECRET_PROVIDER_CLASS = "secrets-store.csi.x-k8s.io/v1/SecretProviderClass";
    private static final ObjectMapper MAPPER = strictMapper();

    private Manifests() {
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        // `value: true` for an env var's value is refused by the API server; Jackson would make it "true"
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        return mapper;
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The YAML documents of a file or of kustomize's output (duplicate keys refused, as kubectl refuses them). */
    static List<Map<String, Object>> documents(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(options)).loadAll(yaml)) {
            if (document != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = (Map<String, Object>) document;
                documents.add(map);
            }
        }
        return documents;
    }

    /** Every document as its typed fabric8 object; throws {@link IllegalArgumentException} naming what is wrong. */
    static List<HasMetadata> read(String yaml) {
        List<HasMetadata> resources = new ArrayList<>();
        for (Map<String, Object> document : documents(yaml)) {
            String type = document.get("apiVersion") + "/" + document.get("kind");
            KubernetesResource resource;
            try {
                resource = MAPPER.convertValue(document, KubernetesResource.class);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(type + ": " + e.getMessage(), e);
            }
            if (!(resource instanceof HasMetadata typed)) {
                throw new IllegalArgumentException(type + " is not a Kubernetes object");
            }
            String name = type + " " + typed.getMetadata().getName();
            if (resource instanceof GenericKubernetesResource generic) {
                if (!type.equals(SECRET_PROVIDER_CLASS)) {
                    throw new IllegalArgumentException(name + ": a kind fabric8's model does not know");
                }
                SecretProviderClassSpec.check(name, generic);
            } else {
                List<String> unknown = new ArrayList<>();
                unknownFields(resource, "", unknown);
                if (!unknown.isEmpty()) {
                    throw new IllegalArgumentException(name + ": unknown fields " + unknown);
                }
            }
            resources.add(typed);
        }
        return resources;
    }

    /** The paths of the fields fabric8 kept as additional properties, i.e. that the type does not declare. */
    static void unknownFields(Object value, String path, List<String> unknown) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> unknownFields(item, path + "." + key, unknown));
        } else if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", unknown);
            }
        } else if (value != null && value.getClass().getName().startsWith("io.fabric8.")) {
            for (Method getter : value.getClass().getMethods()) {
                if (!isProperty(getter)) {
                    continue;
                }
                Object property = invoke(getter, value);
                if (getter.getName().equals("getAdditionalProperties")) {
                    ((Map<?, ?>) property).keySet().forEach(key -> unknown.add(path.isEmpty() ? key.toString() : path.substring(1) + "." + key));
                } else {
                    unknownFields(property, path + "." + propertyName(getter), unknown);
                }
            }
        }
    }

    private static boolean isProperty(Method method) {
        return method.getName().startsWith("get") && !method.getName().equals("getClass") && method.getParameterCount() == 0
                && !Modifier.isStatic(method.getModifiers()) && !method.getReturnType().isPrimitive();
    }

    private static String propertyName(Method getter) {
        String name = getter.getName().substring(3);
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(getter + " on " + target.getClass(), e);
        }
    }
}
