package com.cleversync.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.identity.DefaultAzureCredentialBuilder;
import com.cleversync.config.CleverSyncProperties;
import com.cleversync.config.ConfigurationKeys;
import com.cleversync.school.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.component.azure.key.vault.KeyVaultPropertiesFunction;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/**
 * deploy/azure holds together, and with what CleverSync reads. There is no Bicep CLI, Azure CLI or
 * Azure subscription where this runs, so nothing here compiles or deploys the template: these are
 * text checks, the ones a reviewer would otherwise do by eye. Names declared and used, parameters file
 * against template, the variables the Container App sets against the code that reads them, and the
 * configuration file it mounts against CleverSync's own configuration check. Whether Azure accepts a
 * property, an API version or a value is only known from a deployment.
 */
class AzureTemplateTest {
    static final Path AZURE = Path.of("deploy", "azure");

    @Test
    void everyNameTheTemplateUsesIsDeclaredAndEveryParameterAndVariableIsUsed() throws IOException {
        BicepFile main = new BicepFile(AZURE.resolve("main.bicep"));
        Set<String> declared = new LinkedHashSet<>(main.params.keySet());
        declared.addAll(main.vars);
        declared.addAll(main.resources.keySet());
        declared.addAll(main.boundNames());
        List<String> used = main.namesUsed();

        assertThat(new LinkedHashSet<>(used)).as("names used but not declared").isSubsetOf(declared);
        for (String name : main.params.keySet()) {
            assertThat(used).as("parameter %s is used", name).contains(name);
        }
        for (String name : main.vars) {
            assertThat(used).as("variable %s is used", name).contains(name);
        }
        assertThat(main.resources.keySet()).as("one symbolic name per resource")
                .hasSize((int) Pattern.compile("(?m)^resource ").matcher(main.source).results().count());
    }

    @Test
    void everyResourceUsesAStableApiVersion() throws IOException {
        for (BicepFile.Resource r : new BicepFile(AZURE.resolve("main.bicep")).resources.values()) {
            assertThat(r.apiVersion()).as("%s %s", r.symbol(), r.type()).matches("20(2[0-9])-\\d\\d-\\d\\d");
        }
    }

    @Test
    void theParametersFileSetsOnlyDeclaredParametersAndEveryRequiredOneWithAValueOfItsType() throws IOException {
        BicepFile main = new BicepFile(AZURE.resolve("main.bicep"));
        BicepFile params = new BicepFile(AZURE.resolve("main.bicepparam"));
        assertThat(params.source.strip()).containsPattern("(?m)^using 'main\\.bicep'$");

        assertThat(params.params.keySet()).as("set but not declared").isSubsetOf(main.params.keySet());
        Set<String> required = main.params.values().stream().filter(p -> !p.hasDefault())
                .map(BicepFile.Param::name).collect(Collectors.toSet());
        assertThat(params.params.keySet()).as("required parameters").containsAll(required);

        for (String name : params.params.keySet()) {
            String value = assignment(params.source, name);
            BicepFile.Param declaration = main.params.get(name);
            String type = declaration.type();
            if (value.startsWith("readEnvironmentVariable(")) {
                assertThat(type).as(name).isEqualTo("string");
                continue;
            }
            switch (type) {
                case "string" -> assertThat(value).as(name).matches("'[^']*'");
                case "bool" -> assertThat(value).as(name).isIn("true", "false");
                case "int" -> assertThat(value).as(name).matches("-?\\d+");
                case "array" -> assertThat(value).as(name).startsWith("[");
                case "object" -> assertThat(value).as(name).startsWith("{");
                default -> throw new AssertionError(name + ": type " + type);
            }
            List<String> allowed = allowed(declaration);
            if (!allowed.isEmpty()) {
                assertThat(value).as("%s is one of @allowed", name).isIn(allowed);
            }
        }
    }

    @Test
    void theContainerAppSetsOnlyVariablesThatCleverSyncOrItsLibrariesRead() throws IOException {
        BicepFile main = new BicepFile(AZURE.resolve("main.bicep"));
        String app = main.resourceBody("app");
        Set<String> variables = names(app, "name: '([A-Z][A-Z0-9_]*)'");
        assertThat(variables).isNotEmpty();
        String keyVaultFunction = classFile(KeyVaultPropertiesFunction.class);
        String azureIdentity = classFile(DefaultAzureCredentialBuilder.class);
        String image = Files.readString(Path.of("deploy", "Dockerfile"))
                + (Files.exists(Path.of("deploy", "entrypoint.sh")) ? Files.readString(Path.of("deploy", "entrypoint.sh")) : "");
        Set<String> placeholders = names(Files.readString(AZURE.resolve("application.yaml")), "\\{\\{env:([A-Za-z0-9_]+)}}");
        for (String variable : variables) {
            boolean read = variable.startsWith("CAMEL_VAULT_AZURE_") ? keyVaultFunction.contains(variable)
                    : variable.startsWith("CLEVERSYNC_") ? cleverSyncKey(variable)
                    : variable.equals("AZURE_CLIENT_ID") ? azureIdentity.contains(variable)
                    // the image attaches the Application Insights agent only when it is set
                    : variable.equals("APPLICATIONINSIGHTS_CONNECTION_STRING") ? image.contains("${" + variable)
                    : placeholders.contains(variable);
            assertThat(read).as("someone reads %s", variable).isTrue();
        }
        // and the ones the vault and the managed identity need are there, with the values they need
        assertThat(app).containsPattern("name: 'CAMEL_VAULT_AZURE_VAULT_NAME'\\s+value: vault\\.name")
                .containsPattern("name: 'CAMEL_VAULT_AZURE_IDENTITY_ENABLED'\\s+value: 'true'")
                .containsPattern("name: 'AZURE_CLIENT_ID'\\s+value: identity\\.properties\\.clientId")
                .containsPattern("name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'\\s+secretRef: 'appinsights-connection-string'")
                .containsPattern("name: 'appinsights-connection-string'\\s+value: insights\\.properties\\.ConnectionString");
        assertThat(placeholders).as("{{env:…}} in application.yaml the app gets").isSubsetOf(variables);
    }

    @Test
    void theIdentityReadsTheVaultsSecretsThroughRbacAndTheAppRunsAsThatIdentity() throws IOException {
        BicepFile main = new BicepFile(AZURE.resolve("main.bicep"));
        assertThat(main.resources.get("vault").type()).isEqualTo("Microsoft.KeyVault/vaults");
        assertThat(main.resourceBody("vault")).contains("enableRbacAuthorization: true");
        assertThat(main.source).contains("var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'");
        assertThat(main.resourceBody("appReadsSecrets")).contains("scope: vault")
                .contains("roleDefinitions', keyVaultSecretsUser)").contains("principalId: identity.properties.principalId");
        assertThat(main.resourceBody("app")).containsPattern("type: 'UserAssigned'\\s+userAssignedIdentities: \\{\\s+'\\$\\{identity\\.id}': \\{}")
                .containsPattern("dependsOn: \\[\\s+appReadsSecrets\\s+]");
        assertThat(main.resources.get("insights").type()).isEqualTo("Microsoft.Insights/components");
        assertThat(main.resourceBody("insights")).contains("WorkspaceResourceId: logs.id");
        assertThat(main.resourceBody("appEnvironment")).contains("customerId: logs.properties.customerId");
    }

    @Test
    void theProbesPortAndConfigFolderAreTheImagesAndThereIsExactlyOneReplica() throws IOException {
        BicepFile main = new BicepFile(AZURE.resolve("main.bicep"));
        String app = main.resourceBody("app");
        String defaults = Files.readString(Path.of("src", "main", "resources", "application.yaml"));
        // Spring Boot's port (application.yaml does not move it) and its probe groups
        assertThat(main.source).contains("var port = 8080");
        assertThat(defaults).doesNotContainPattern("(?m)^server:").containsPattern("probes:\\s+enabled: true");
        assertThat(app).contains("targetPort: port")
                .containsPattern("type: 'Liveness'\\s+httpGet: \\{\\s+path: '/actuator/health/liveness'\\s+port: port")
                .containsPattern("type: 'Readiness'\\s+httpGet: \\{\\s+path: '/actuator/health/readiness'\\s+port: port");
        // Spring Boot reads ./config/application.yaml of the working directory
        assertThat(Files.readString(Path.of("deploy", "Dockerfile"))).containsPattern("(?m)^WORKDIR /app$");
        assertThat(app).containsPattern("volumeName: 'config'\\s+mountPath: '/app/config'")
                .containsPattern("secretRef: 'application-yaml'\\s+path: 'application.yaml'");
        assertThat(main.source).contains("var applicationYaml = loadTextContent('application.yaml')");
        // two replicas only with the control database that clusters their schedules
        assertThat(app).containsPattern("minReplicas: deploySql \\? 2 : 1\\s+maxReplicas: deploySql \\? 2 : 1")
                .contains("name: 'CLEVERSYNC_CONTROL_JDBCURL'")
                .contains("databaseName=${controlDatabase.name};encrypt=true;authentication=ActiveDirectoryDefault");
    }

    @Test
    void theMountedConfigurationPassesCleverSyncsOwnChecksAndNamesTheDatabasesTheTemplateCreates() throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("deploy/azure/application.yaml", new FileSystemResource(AZURE.resolve("application.yaml")))
                .forEach(environment.getPropertySources()::addFirst);
        // the unknown-key check the service runs at startup (package-private: it is a bean there)
        Constructor<ConfigurationKeys> keys = ConfigurationKeys.class.getDeclaredConstructor(Environment.class);
        keys.setAccessible(true);
        try {
            keys.newInstance(environment);
        } catch (InvocationTargetException e) {
            throw new AssertionError("deploy/azure/application.yaml: " + e.getCause().getMessage(), e.getCause());
        }
        CleverSyncProperties config = Binder.get(environment).bind("cleversync", CleverSyncProperties.class).get();

        BicepFile params = new BicepFile(AZURE.resolve("main.bicepparam"));
        assertThat(assignment(params.source, "deploySql")).isEqualTo("true");
        Set<String> schools = names(assignment(params.source, "schools"), "'([^']+)'");
        Set<String> databases = new LinkedHashSet<>();
        assertThat(config.districts()).isNotEmpty();
        config.districts().forEach((district, d) -> d.schools().forEach((key, school) -> {
            String where = district + "/" + key;
            assertThat(Dialect.ofJdbcUrl(school.jdbcUrl())).as(where).contains(Dialect.SQLSERVER);
            // the managed identity logs in: no password anywhere, none to rotate
            assertThat(school.jdbcUrl()).as(where).contains(";encrypt=true;").endsWith(";authentication=ActiveDirectoryDefault")
                    .doesNotContainIgnoringCase("password").doesNotContainIgnoringCase("trustServerCertificate");
            assertThat(school.password()).as(where).isNull();
            databases.addAll(names(school.jdbcUrl(), ";databaseName=([^;]+)"));
        }));
        assertThat(databases).isEqualTo(schools);

        // every secret it reads has a name Key Vault accepts
        Set<String> secrets = new LinkedHashSet<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof OriginTrackedMapPropertySource yaml) {
                for (String key : yaml.getPropertyNames()) {
                    secrets.addAll(names(String.valueOf(yaml.getProperty(key)), "\\{\\{azure:([^}:#]+)"));
                }
            }
        }
        assertThat(secrets).isNotEmpty().allMatch(secret -> secret.matches("[0-9A-Za-z-]{1,127}"));
    }

    @Test
    void aCleverSyncVariableCountsAsReadOnlyWhenItBindsToAConfigurationKey() {
        // the rule the Container App's variables are held to, on names it does not set today
        assertThat(cleverSyncKey("CLEVERSYNC_SYNC_MAXPOOLSIZE")).isTrue();
        assertThat(cleverSyncKey("CLEVERSYNC_SYNC_MAX_POOL_SIZE")).isTrue();
        assertThat(cleverSyncKey("CLEVERSYNC_DISTRICTS_SPRINGFIELD_SCHOOLS_NORTH_JDBCURL")).isTrue();
        assertThat(cleverSyncKey("CLEVERSYNC_SYNC_MAXPOOL")).isFalse();
        assertThat(cleverSyncKey("CLEVERSYNC_SQL_SERVER")).isFalse();
    }

    /**
     * Whether an environment variable binds to a key of {@link CleverSyncProperties} under Spring Boot's
     * relaxed binding: each {@code _} separates keys or stands for a dash within one, and the operator's
     * own keys (a district, a school) take one segment.
     */
    static boolean cleverSyncKey(String variable) {
        List<String> segments = Arrays.asList(variable.toLowerCase().split("_"));
        return segments.get(0).equals("cleversync") && binds(CleverSyncProperties.class, segments.subList(1, segments.size()));
    }

    private static boolean binds(Class<?> type, List<String> segments) {
        if (segments.isEmpty()) {
            return !type.isRecord();
        }
        if (!type.isRecord()) {
            return false;
        }
        for (RecordComponent component : type.getRecordComponents()) {
            String name = component.getName().toLowerCase();
            for (int n = 1; n <= segments.size(); n++) {
                if (String.join("", segments.subList(0, n)).equals(name) && bindsValue(component, segments.subList(n, segments.size()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean bindsValue(RecordComponent component, List<String> rest) {
        if (Map.class.isAssignableFrom(component.getType())) {
            Class<?> value = (Class<?>) ((ParameterizedType) component.getGenericType()).getActualTypeArguments()[1];
            return !rest.isEmpty() && binds(value, rest.subList(1, rest.size()));
        }
        if (List.class.isAssignableFrom(component.getType())) {
            return rest.isEmpty() || (rest.size() == 1 && rest.get(0).matches("\\d+"));
        }
        return binds(component.getType(), rest);
    }

    /** The value a .bicepparam file assigns to a parameter, up to the next declaration. */
    static String assignment(String source, String param) {
        Matcher m = Pattern.compile("(?ms)^param " + param + " = (.*?)(?=^(?![]}])\\S|\\z)").matcher(source);
        assertThat(m.find()).as("param %s is set", param).isTrue();
        return m.group(1).strip();
    }

    /** The values of a parameter's {@code @allowed([…])}, quoted as in Bicep; none when it has none. */
    static List<String> allowed(BicepFile.Param param) {
        Matcher m = Pattern.compile("@allowed\\(\\[([^]]*)]\\)").matcher(param.decorators());
        List<String> values = new ArrayList<>();
        if (m.find()) {
            values.addAll(Arrays.stream(m.group(1).strip().split("\\s+")).toList());
        }
        return values;
    }

    static Set<String> names(String text, String regex) {
        return Pattern.compile(regex).matcher(text).results().map(r -> r.group(1)).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** A class's compiled form as text: its string constants (such as the variables it reads) are in it. */
    static String classFile(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            assertThat(in).as(type.getName()).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
