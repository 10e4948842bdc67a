package com.cleversync.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.cleversync.config.ConfigurationKeys;
import com.cleversync.config.InvalidConfigurationException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/**
 * {@code deploy/kubernetes/} is a kustomize base with two overlays: {@code demo} (the sandbox, one replica, no
 * secrets) and {@code production} (two replicas on the control database, a PodDisruptionBudget, a ServiceMonitor, a
 * NetworkPolicy, probes, resources from the benchmarks, every secret from Azure Key Vault through workload identity
 * and the Secrets Store CSI driver). Every file is read into fabric8's typed Kubernetes model with unknown fields
 * refused; the overlays are built with kustomize ({@code kubectl kustomize}, which this machine's image has: skipped
 * without it, failed in CI) and what they build is checked against the image deploy/Dockerfile describes.
 */
class KubernetesManifestsTest {
    private static final Path KUBERNETES = Path.of("deploy", "kubernetes");
    private static final Path DEMO = KUBERNETES.resolve("overlays/demo");
    private static final Path PRODUCTION = KUBERNETES.resolve("overlays/production");
    private static final Pattern NAME = Pattern.compile("cleversync(-[a-z0-9]+)*");
    private static final Map<String, String> APP = Map.of("app.kubernetes.io/name", "cleversync");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{azure:[a-z0-9-]+}}");
    /** The heap the benchmarks ran 500,000 students in (README, "Performance": -Xmx256m). */
    private static final long BENCHMARK_HEAP = 256L << 20;
    /**
     * What the JVM holds resident beyond its heap, at most, as measured with the 100,000-student benchmark sized like
     * a container (617 MiB resident with a 384 MiB heap, 735 MiB with 512 MiB), plus a quarter for what a longer run
     * adds (code cache, malloc arenas).
     */
    private static final long NON_HEAP = (233L << 20) * 5 / 4;

    @Test
    void everyFileIsAKustomizationOrNamedByOneAndEveryFileItNamesExists() throws IOException {
        Set<Path> named = new HashSet<>();
        for (Path directory : kustomizationDirectories()) {
            for (String reference : Kustomization.read(directory).references()) {
                Path file = directory.resolve(reference).normalize();
                assertThat(file).as("%s in %s", reference, directory).exists();
                named.add(file);
            }
        }
        try (Stream<Path> files = Files.walk(KUBERNETES)) {
            assertThat(files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("kustomization.yaml")))
                    .as("files no kustomization uses").allMatch(named::contains);
        }
    }

    @Test
    void everyManifestAndPatchReadsIntoFabric8sTypedModelWithoutUnknownFields() throws IOException {
        Set<Path> read = new HashSet<>();
        Set<Path> generated = new HashSet<>();
        for (Path directory : kustomizationDirectories()) {
            Kustomization kustomization = Kustomization.read(directory);
            assertThat(kustomization.apiVersion()).isEqualTo("kustomize.config.k8s.io/v1beta1");
            assertThat(kustomization.kind()).isEqualTo("Kustomization");
            List<String> files = new ArrayList<>(kustomization.resourceFiles());
            files.addAll(kustomization.patchFiles());
            for (String file : files) {
                assertThat(Manifests.read(Files.readString(directory.resolve(file)))).as(file).hasSize(1);
                read.add(directory.resolve(file).normalize());
            }
            Kustomization.orEmpty(kustomization.configMapGenerator()).forEach(g -> Kustomization.orEmpty(g.files())
                    .forEach(f -> generated.add(directory.resolve(f).normalize())));
        }
        try (Stream<Path> files = Files.walk(KUBERNETES)) {
            assertThat(read).as("every manifest and patch").containsExactlyInAnyOrderElementsOf(files
                    .filter(f -> f.toString().endsWith(".yaml") && !f.getFileName().toString().equals("kustomization.yaml"))
                    .filter(f -> !generated.contains(f)).toList());
        }
    }

    @Test
    void aMisspeltOrMistypedFieldIsRefused() {
        String deployment = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: cleversync}
                spec:
                  %s
                  template:
                    spec:
                      containers:
                        - name: cleversync
                          securityContext: {%s: true}
                          env: [{name: A, value: %s}]
                """;
        assertThat(Manifests.read(deployment.formatted("replicas: 2", "readOnlyRootFilesystem", "\"x\""))).hasSize(1);
        assertThatThrownBy(() -> Manifests.read(deployment.formatted("replicass: 2", "readOnlyRootFilesystem", "\"x\"")))
                .hasMessageContaining("unknown fields [spec.replicass]");
        assertThatThrownBy(() -> Manifests.read(deployment.formatted("replicas: 2", "readOnlyRootFilesytem", "\"x\"")))
                .hasMessageContaining("spec.template.spec.containers[0].securityContext.readOnlyRootFilesytem");
        assertThatThrownBy(() -> Manifests.read(deployment.formatted("replicas: two", "readOnlyRootFilesystem", "\"x\"")))
                .hasMessageContaining("Integer");
        assertThatThrownBy(() -> Manifests.read(deployment.formatted("replicas: 2", "readOnlyRootFilesystem", "true")))
                .as("an env value that is not a string").hasMessageContaining("Boolean");
        assertThatThrownBy(() -> Manifests.read("""
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: cleversync}
                spec:
                  endpoint: [{port: http}]
                """)).hasMessageContaining("spec.endpoint");
        assertThatThrownBy(() -> Manifests.read("""
                apiVersion: secrets-store.csi.x-k8s.io/v1
                kind: SecretProviderClass
                metadata: {name: cleversync}
                spec:
                  provider: azure
                  secretObject: []
                """)).hasMessageContaining("secretObject");
        assertThatThrownBy(() -> Manifests.read("""
                apiVersion: example.org/v1
                kind: Widget
                metadata: {name: cleversync}
                """)).hasMessageContaining("a kind fabric8's model does not know");
        assertThatThrownBy(() -> Manifests.mapper().convertValue(Map.of("apiVersion", "kustomize.config.k8s.io/v1beta1",
                "kind", "Kustomization", "resource", List.of("deployment.yaml")), Kustomization.class))
                .hasMessageContaining("resource");
    }

    @Test
    void everyResourceIsNamedCleversyncOrCleversyncDashItsRoleAndCarriesTheAppLabel() throws IOException {
        List<HasMetadata> resources = new ArrayList<>();
        for (Path directory : kustomizationDirectories()) {
            for (String file : Kustomization.read(directory).resourceFiles()) {
                resources.addAll(Manifests.read(Files.readString(directory.resolve(file))));
            }
        }
        if (kubectlAvailable()) {
            resources.addAll(build(DEMO));
            resources.addAll(build(PRODUCTION));
        }
        for (HasMetadata resource : resources) {
            String what = resource.getKind() + " " + resource.getMetadata().getName();
            assertThat(resource.getMetadata().getName()).as(what).matches(NAME);
            assertThat(resource.getMetadata().getLabels()).as("labels of %s", what).containsAllEntriesOf(APP);
            assertThat(selectors(resource)).as("what %s selects", what).allSatisfy(s -> assertThat(s).isEqualTo(APP));
        }
        for (Deployment deployment : only(resources, Deployment.class)) {
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(APP);
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers()).extracting(c -> c.getName())
                    .containsExactly("cleversync");
        }
    }

    @Test
    void everyPatchOfAnOverlayChangesAResourceOfItsBase() throws IOException {
        for (Path overlay : List.of(DEMO, PRODUCTION)) {
            Set<String> resources = new HashSet<>();
            collectResources(overlay, resources);
            for (String patch : Kustomization.read(overlay).patchFiles()) {
                HasMetadata target = Manifests.read(Files.readString(overlay.resolve(patch))).get(0);
                assertThat(resources).as("%s of %s", patch, overlay).contains(target.getKind() + "/" + target.getMetadata().getName());
            }
        }
    }

    @Test
    void theDemoIsTheSandboxInOneReplicaWithoutSecrets() throws Exception {
        List<HasMetadata> demo = build(DEMO);
        assertThat(demo).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("ServiceAccount", "Service", "Deployment");
        Deployment deployment = only(demo, Deployment.class).get(0);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        io.fabric8.kubernetes.api.model.Container container = container(deployment);
        assertThat(container.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
                .containsExactly(tuple("CLEVERSYNC_SANDBOX_ENABLED", "true"));
        assertThat(container.getEnv()).allMatch(e -> e.getValueFrom() == null, "no value from a Secret");
        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes()).allMatch(v -> v.getEmptyDir() != null,
                "only emptyDirs: no configuration, no secrets store");
    }

    @Test
    void productionRunsTwoReplicasOnTheControlDatabaseWithEverySecretFromKeyVault() throws Exception {
        List<HasMetadata> production = build(PRODUCTION);
        assertThat(production).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("ServiceAccount", "ConfigMap",
                "Service", "Deployment", "PodDisruptionBudget", "NetworkPolicy", "ServiceMonitor", "SecretProviderClass");
        assertThat(production).allMatch(r -> "cleversync".equals(r.getMetadata().getNamespace()), "in namespace cleversync");
        Deployment deployment = only(production, Deployment.class).get(0);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        io.fabric8.kubernetes.api.model.Container container = container(deployment);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);

        // workload identity: the pod asks the webhook for it, through the ServiceAccount's managed identity
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("azure.workload.identity/use", "true");
        ServiceAccount account = only(production, ServiceAccount.class).get(0);
        assertThat(pod.getServiceAccountName()).isEqualTo(account.getMetadata().getName());
        String clientId = account.getMetadata().getAnnotations().get("azure.workload.identity/client-id");
        assertThat(clientId).matches("[0-9a-f-]{36}");

        // the Secrets Store CSI driver reads the vault with the same identity, and the pod mounts it
        GenericKubernetesResource providerClass = only(production, GenericKubernetesResource.class).get(0);
        SecretProviderClassSpec secrets = SecretProviderClassSpec.check("SecretProviderClass", providerClass);
        assertThat(secrets.provider()).isEqualTo("azure");
        assertThat(secrets.parameters()).containsEntry("clientID", clientId).containsEntry("usePodIdentity", "false");
        Volume store = volume(pod, v -> v.getCsi() != null);
        assertThat(store.getCsi().getDriver()).isEqualTo("secrets-store.csi.k8s.io");
        assertThat(store.getCsi().getVolumeAttributes()).containsEntry("secretProviderClass", providerClass.getMetadata().getName());
        assertThat(container.getVolumeMounts()).anyMatch(m -> m.getName().equals(store.getName()) && Boolean.TRUE.equals(m.getReadOnly()));

        // cleversync.control.*, and every other variable from a Secret, from one the driver keeps
        Map<String, Set<String>> synced = secrets.syncedSecrets();
        Map<String, String> fromSecrets = new LinkedHashMap<>();
        for (EnvVar env : container.getEnv()) {
            assertThat(env.getValueFrom()).as("%s comes from a Secret, never a literal", env.getName()).isNotNull();
            var ref = env.getValueFrom().getSecretKeyRef();
            assertThat(synced).as(env.getName()).containsKey(ref.getName());
            assertThat(synced.get(ref.getName())).as(env.getName()).contains(ref.getKey());
            fromSecrets.put(env.getName(), ref.getName() + "/" + ref.getKey());
        }
        assertThat(fromSecrets).containsEntry("CLEVERSYNC_CONTROL_JDBCURL", "cleversync-control-db/jdbc-url")
                .containsEntry("CLEVERSYNC_CONTROL_USERNAME", "cleversync-control-db/username")
                .containsEntry("CLEVERSYNC_CONTROL_PASSWORD", "cleversync-control-db/password")
                .containsKey("APPLICATIONINSIGHTS_CONNECTION_STRING");

        // the configuration: mounted where Spring Boot looks (the working directory's config/), its secrets all
        // placeholders CleverSync reads from the same vault with the same identity
        ConfigMap config = only(production, ConfigMap.class).get(0);
        Volume configVolume = volume(pod, v -> v.getConfigMap() != null);
        assertThat(configVolume.getConfigMap().getName()).isEqualTo(config.getMetadata().getName()).startsWith("cleversync-config-");
        assertThat(container.getVolumeMounts()).filteredOn(m -> m.getName().equals(configVolume.getName()))
                .extracting(VolumeMount::getMountPath).containsExactly("/app/config");
        Map<String, Object> application = Manifests.documents(config.getData().get("application.yaml")).get(0);
        assertThat(value(application, "camel.vault.azure.vault-name")).isEqualTo(secrets.parameters().get("keyvaultName"));
        assertThat(value(application, "camel.vault.azure.azure-identity-enabled")).isEqualTo(true);
        List<String> secretValues = new ArrayList<>();
        collectSecrets(application, "", secretValues);
        assertThat(secretValues).isNotEmpty().allSatisfy(v -> assertThat(v).as("a secret in application.yaml").matches(".*=" + PLACEHOLDER));
        assertThat(production).noneMatch(r -> r.getKind().equals("Secret"));
    }

    @Test
    void productionHasADisruptionBudgetAServiceMonitorAndANetworkPolicy() throws Exception {
        List<HasMetadata> production = build(PRODUCTION);
        Deployment deployment = only(production, Deployment.class).get(0);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        Service service = only(production, Service.class).get(0);
        int port = container(deployment).getPorts().get(0).getContainerPort();

        PodDisruptionBudget budget = only(production, PodDisruptionBudget.class).get(0);
        assertThat(budget.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(podLabels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());

        ServiceMonitor monitor = only(production, ServiceMonitor.class).get(0);
        assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
        Endpoint scrape = monitor.getSpec().getEndpoints().get(0);
        assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName).contains(scrape.getPort());
        assertThat(scrape.getPath()).isEqualTo("/actuator/prometheus");
        Map<String, Set<String>> synced = SecretProviderClassSpec.check("SecretProviderClass",
                only(production, GenericKubernetesResource.class).get(0)).syncedSecrets();
        for (var credential : List.of(scrape.getBasicAuth().getUsername(), scrape.getBasicAuth().getPassword())) {
            assertThat(synced.getOrDefault(credential.getName(), Set.of())).as("the scrape login from Key Vault").contains(credential.getKey());
        }
        ConfigMap config = only(production, ConfigMap.class).get(0);
        Map<String, Object> application = Manifests.documents(config.getData().get("application.yaml")).get(0);
        assertThat(value(application, "cleversync.management.users.prometheus.roles")).as("Prometheus' own user").isEqualTo(List.of("VIEWER"));

        NetworkPolicy policy = only(production, NetworkPolicy.class).get(0);
        assertThat(podLabels).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(policy.getSpec().getIngress()).allSatisfy(rule -> assertThat(rule.getPorts())
                .extracting(p -> p.getPort().getIntVal()).containsOnly(port));
        assertThat(policy.getSpec().getIngress()).flatExtracting(rule -> rule.getFrom())
                .extracting(peer -> peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"))
                .contains("monitoring");
        List<String> egress = new ArrayList<>();
        for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
            for (NetworkPolicyPort p : rule.getPorts()) {
                egress.add(p.getProtocol() + "/" + p.getPort().getIntVal() + (p.getEndPort() == null ? "" : "-" + p.getEndPort()));
            }
        }
        assertThat(egress).as("DNS, HTTPS (Clever, Key Vault, Entra ID), SQL Server and Azure SQL's redirect, PostgreSQL")
                .containsExactlyInAnyOrder("UDP/53", "TCP/53", "TCP/443", "TCP/1433", "TCP/11000-11999", "TCP/5432");
    }

    @Test
    void everyPodRunsAsTheImagesNonRootUserOnAReadOnlyRootWithTheImagesVolumesAndProbes() throws Exception {
        Dockerfile.Stage image = Dockerfile.read(Path.of("deploy", "Dockerfile")).image();
        String[] user = image.last("USER").orElseThrow().arguments().split(":");
        List<String> volumes = image.all("VOLUME").stream().flatMap(v -> v.words().stream()).toList();
        int exposed = Integer.parseInt(image.last("EXPOSE").orElseThrow().arguments());
        String healthcheck = image.last("HEALTHCHECK").orElseThrow().arguments();
        for (Path overlay : List.of(DEMO, PRODUCTION)) {
            Deployment deployment = only(build(overlay), Deployment.class).get(0);
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            io.fabric8.kubernetes.api.model.Container container = container(deployment);
            String in = overlay.getFileName().toString();

            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(in).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).as(in).isEqualTo(Long.parseLong(user[0]));
            assertThat(pod.getSecurityContext().getRunAsGroup()).as(in).isEqualTo(Long.parseLong(user[1]));
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).as(in).isEqualTo("RuntimeDefault");
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as(in).isTrue();
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).as(in).isFalse();
            assertThat(container.getSecurityContext().getCapabilities().getDrop()).as(in).containsExactly("ALL");
            for (String path : volumes) {
                VolumeMount mount = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                        .orElseThrow(() -> new AssertionError(in + ": nothing mounted at the image's VOLUME " + path));
                assertThat(volume(pod, v -> v.getName().equals(mount.getName())).getEmptyDir()).as("%s: %s", in, path).isNotNull();
            }

            assertThat(container.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort()).containsExactly("http:" + exposed);
            // the probes of the HEALTHCHECK, never /actuator/health, which one school's database being down turns DOWN
            assertThat(path(container.getReadinessProbe())).as(in).isEqualTo("/actuator/health/readiness");
            assertThat(healthcheck).contains(path(container.getReadinessProbe()));
            assertThat(path(container.getLivenessProbe())).as(in).isEqualTo("/actuator/health/liveness");
            assertThat(path(container.getStartupProbe())).as(in).isEqualTo("/actuator/health/liveness");
            for (Probe probe : List.of(container.getReadinessProbe(), container.getLivenessProbe(), container.getStartupProbe())) {
                assertThat(probe.getHttpGet().getPort().getStrVal()).as(in).isEqualTo("http");
            }
        }
    }

    @Test
    void theMemoryLimitHoldsTheBenchmarkedHeapAndTheRestOfTheJvm() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        Dockerfile.read(Path.of("deploy", "Dockerfile")).image().all("ENV").forEach(e -> env.putAll(e.variables()));
        Matcher percentage = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(env.get("JAVA_TOOL_OPTIONS"));
        assertThat(percentage.find()).isTrue();
        for (Path overlay : List.of(DEMO, PRODUCTION)) {
            var resources = container(only(build(overlay), Deployment.class).get(0)).getResources();
            Quantity limit = resources.getLimits().get("memory");
            assertThat(resources.getRequests().get("memory")).as("%s: request = limit, never overcommitted", overlay).isEqualTo(limit);
            assertThat(resources.getLimits()).as("%s: no CPU limit, a sync is never throttled", overlay).doesNotContainKey("cpu");
            long bytes = Quantity.getAmountInBytes(limit).longValueExact();
            long heap = BigDecimal.valueOf(bytes).multiply(new BigDecimal(percentage.group(1))).movePointLeft(2).longValue();
            assertThat(heap).as("%s: heap", overlay).isGreaterThanOrEqualTo(BENCHMARK_HEAP);
            assertThat(bytes - heap).as("%s: room for the rest of the JVM", overlay).isGreaterThanOrEqualTo(NON_HEAP);
        }
        var production = container(only(build(PRODUCTION), Deployment.class).get(0)).getResources();
        long heap = Quantity.getAmountInBytes(production.getLimits().get("memory")).longValueExact()
                * Long.parseLong(percentage.group(1)) / 100;
        assertThat(heap).as("production: twice the benchmarked heap").isGreaterThanOrEqualTo(2 * BENCHMARK_HEAP);
    }

    @Test
    void productionsConfigurationHasOnlyKeysCleverSyncKnows() throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("production", new FileSystemResource(PRODUCTION.resolve("application.yaml")))
                .forEach(environment.getPropertySources()::addFirst);
        checkKeys(environment);
        assertThat(environment.getProperty("cleversync.districts.springfield.schools.lincoln-high.password"))
                .isEqualTo("{{azure:lincoln-db-password}}");

        environment.getPropertySources().addFirst(new MapPropertySource("misspelt",
                Map.of("cleversync.districts.springfield.shedule", "0 0 5 * * ?")));
        assertThatThrownBy(() -> checkKeys(environment)).hasRootCauseInstanceOf(InvalidConfigurationException.class)
                .rootCause().hasMessageContaining("did you mean 'schedule'?");
    }

    /** CleverSync's own startup check of the keys under cleversync. (its constructor is the check). */
    private static void checkKeys(Environment environment) throws Exception {
        Constructor<ConfigurationKeys> keys = ConfigurationKeys.class.getDeclaredConstructor(Environment.class);
        keys.setAccessible(true);
        keys.newInstance(environment);
    }

    // --- reading ---

    private static List<Path> kustomizationDirectories() throws IOException {
        try (Stream<Path> files = Files.walk(KUBERNETES)) {
            return files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).map(Path::getParent).sorted().toList();
        }
    }

    private static void collectResources(Path directory, Set<String> into) throws IOException {
        Kustomization kustomization = Kustomization.read(directory);
        for (String file : kustomization.resourceFiles()) {
            for (HasMetadata resource : Manifests.read(Files.readString(directory.resolve(file)))) {
                into.add(resource.getKind() + "/" + resource.getMetadata().getName());
            }
        }
        for (String base : kustomization.resourceDirectories()) {
            collectResources(directory.resolve(base).normalize(), into);
        }
    }

    /** {@code kubectl kustomize overlay}, read as {@link Manifests} reads files. */
    private static List<HasMetadata> build(Path overlay) throws IOException {
        requireKubectl();
        Process kustomize = new ProcessBuilder("kubectl", "kustomize", overlay.toString()).redirectError(ProcessBuilder.Redirect.PIPE).start();
        String output = new String(kustomize.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(kustomize.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertThat(kustomize.waitFor()).as("kubectl kustomize %s: %s", overlay, errors).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Manifests.read(output);
    }

    private static boolean kubectlAvailable() {
        try {
            return new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** kustomize, as kubectl has it: fails in CI without it (this machine's image has kubectl), skips elsewhere. */
    private static void requireKubectl() {
        if (!kubectlAvailable()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true but kubectl (kustomize) is not installed");
            }
            Assumptions.assumeTrue(false, "kubectl not installed: the overlays are not built, test skipped");
        }
    }

    private static <T> List<T> only(List<HasMetadata> resources, Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static io.fabric8.kubernetes.api.model.Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Volume volume(PodSpec pod, Predicate<Volume> which) {
        return pod.getVolumes().stream().filter(which).findFirst().orElseThrow(() -> new AssertionError("no such volume"));
    }

    private static String path(Probe probe) {
        return probe.getHttpGet().getPath();
    }

    /** The label selectors a resource uses to find CleverSync's pods or Service. */
    private static List<Map<String, String>> selectors(HasMetadata resource) {
        List<Map<String, String>> selectors = new ArrayList<>();
        if (resource instanceof Deployment d) {
            selectors.add(d.getSpec().getSelector().getMatchLabels());
            List<TopologySpreadConstraint> spread = d.getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
            Objects.requireNonNullElse(spread, List.<TopologySpreadConstraint>of())
                    .forEach(t -> selectors.add(t.getLabelSelector().getMatchLabels()));
        } else if (resource instanceof Service s) {
            selectors.add(s.getSpec().getSelector());
        } else if (resource instanceof PodDisruptionBudget p) {
            selectors.add(p.getSpec().getSelector().getMatchLabels());
        } else if (resource instanceof NetworkPolicy n) {
            selectors.add(n.getSpec().getPodSelector().getMatchLabels());
        } else if (resource instanceof ServiceMonitor m) {
            selectors.add(m.getSpec().getSelector().getMatchLabels());
        }
        return selectors;
    }

    @SuppressWarnings("unchecked")
    private static Object value(Map<String, Object> yaml, String dottedKey) {
        Object value = yaml;
        for (String key : dottedKey.split("\\.")) {
            value = value instanceof Map<?, ?> map ? ((Map<String, Object>) map).get(key) : null;
        }
        return value;
    }

    /** {@code key=value} of every token, password and webhook URL in a CleverSync configuration. */
    private static void collectSecrets(Object yaml, String path, List<String> into) {
        if (yaml instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                String at = path + "." + key;
                if (Set.of("token", "password", "webhook-url").contains(key.toString())) {
                    into.add(at.substring(1) + "=" + value);
                } else {
                    collectSecrets(value, at, into);
                }
            });
        }
    }
}
