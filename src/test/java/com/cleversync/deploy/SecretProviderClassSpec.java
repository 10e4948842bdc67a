package com.cleversync.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The spec of the Secrets Store CSI driver's {@code secrets-store.csi.x-k8s.io/v1} SecretProviderClass (its CRD's
 * schema: provider, parameters, secretObjects), with the parameters its Azure Key Vault provider reads: fabric8 has
 * no model for it, so these records are read as strictly as {@link Manifests} reads the others.
 */
record SecretProviderClassSpec(String provider, Map<String, String> parameters, List<SecretObject> secretObjects) {
    /** The Azure provider's parameters (azure/secrets-store-csi-driver-provider-azure). */
    private static final Set<String> AZURE_PARAMETERS = Set.of("usePodIdentity", "useVMManagedIdentity",
            "userAssignedIdentityID", "clientID", "keyvaultName", "cloudName", "cloudEnvFileName", "tenantId", "objects");

    record SecretObject(String secretName, String type, Map<String, String> labels, Map<String, String> annotations,
                        List<Data> data) {
    }

    record Data(String objectName, String key) {
    }

    /** One entry of the Azure provider's {@code objects} parameter (a YAML document in a string). */
    record KeyVaultObject(String objectName, String objectType, String objectAlias, String objectVersion,
                          Integer objectVersionHistory, String objectFormat, String objectEncoding, String filePermission) {
    }

    static SecretProviderClassSpec check(String name, GenericKubernetesResource resource) {
        List<String> unknown = new ArrayList<>();
        Manifests.unknownFields(resource.getMetadata(), ".metadata", unknown);
        resource.getAdditionalProperties().keySet().stream().filter(key -> !key.equals("spec")).forEach(unknown::add);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(name + ": unknown fields " + unknown);
        }
        SecretProviderClassSpec spec;
        try {
            spec = Manifests.mapper().convertValue(resource.getAdditionalProperties().get("spec"), SecretProviderClassSpec.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
        if ("azure".equals(spec.provider())) {
            Set<String> parameters = spec.parameters().keySet().stream().filter(p -> !AZURE_PARAMETERS.contains(p))
                    .collect(Collectors.toSet());
            if (!parameters.isEmpty()) {
                throw new IllegalArgumentException(name + ": parameters the Azure provider does not read " + parameters);
            }
            Set<String> objects = spec.keyVaultObjects().stream()
                    .map(o -> o.objectAlias() != null ? o.objectAlias() : o.objectName()).collect(Collectors.toSet());
            for (SecretObject secret : spec.secretObjects()) {
                for (Data data : secret.data()) {
                    if (!objects.contains(data.objectName())) {
                        throw new IllegalArgumentException(name + ": secret " + secret.secretName() + " reads "
                                + data.objectName() + ", which is not among the objects read from the vault " + objects);
                    }
                }
            }
        }
        return spec;
    }

    /** The Azure provider's {@code objects}: {@code array:} of YAML documents, each one Key Vault object. */
    List<KeyVaultObject> keyVaultObjects() {
        Map<String, Object> objects = Manifests.documents(parameters.getOrDefault("objects", "array: []")).get(0);
        List<KeyVaultObject> read = new ArrayList<>();
        for (Object entry : (List<?>) objects.get("array")) {
            read.add(Manifests.mapper().convertValue(Manifests.documents((String) entry).get(0), KeyVaultObject.class));
        }
        if (objects.size() != 1) {
            throw new IllegalArgumentException("objects: only array: is read, not " + objects.keySet());
        }
        return read;
    }

    /** The Kubernetes Secrets the driver keeps, by name, with their keys. */
    Map<String, Set<String>> syncedSecrets() {
        return secretObjects.stream().collect(Collectors.toMap(SecretObject::secretName,
                s -> s.data().stream().map(Data::key).collect(Collectors.toSet())));
    }
}
