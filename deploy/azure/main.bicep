// CleverSync on Azure: one Container App running the image that .github/workflows/release.yml pushes to
// GHCR, with a user-assigned managed identity that reads its secrets from a Key Vault (RBAC, no access
// policies) and, optionally, logs in to an Azure SQL logical server holding one database per school.
// Console logs go to Log Analytics; traces, requests and JDBC calls to Application Insights (the Java
// agent in the image attaches itself when APPLICATIONINSIGHTS_CONNECTION_STRING is set).
//
//   az deployment group create -g <group> -f deploy/azure/main.bicep -p deploy/azure/main.bicepparam
//
// Not compiled or deployed where it was written (no Bicep CLI there): AzureTemplateTest checks its
// structure, and its consistency with what CleverSync reads, as text.

targetScope = 'resourceGroup'

@description('Prefix of every resource name: lower-case letters, digits and hyphens, e.g. cleversync or cleversync-test.')
@minLength(3)
@maxLength(20)
param name string = 'cleversync'

@description('Azure region of every resource; the resource group\'s by default.')
param location string = resourceGroup().location

@description('The CleverSync image, e.g. ghcr.io/<owner>/cleversync:1.2.0 (release.yml pushes one per version tag).')
param image string

@description('User name for the image\'s registry; empty for a public GHCR package.')
param registryUsername string = ''

@description('Password or token (a GitHub token with read:packages for GHCR) for a private image; empty for a public one.')
@secure()
param registryPassword string = ''

@description('Ingress from the internet (true) or only from inside the Container Apps environment (false). Every endpoint but the probes needs the management login either way.')
param externalIngress bool = false

@description('CPU and memory of the one replica: small 0.5 vCPU / 1 GiB, medium 1 vCPU / 2 GiB, large 2 vCPU / 4 GiB.')
@allowed([
  'small'
  'medium'
  'large'
])
param size string = 'medium'

@description('Key Vault name (globally unique, 3-24 characters). The secrets CleverSync reads go here: az keyvault secret set --vault-name <this> …')
@minLength(3)
@maxLength(24)
param vaultName string = 'kv-${uniqueString(resourceGroup().id)}'

@description('Object id of the person or group who sets the secrets (az ad signed-in-user show --query id -o tsv); empty: grant no one. An RBAC vault lets no one, not even the subscription owner, write secrets without such a role.')
param secretsOfficerPrincipalId string = ''

@description('Purge protection on the vault: a deleted vault and its secrets stay recoverable for 90 days, and its name stays taken. Cannot be turned off once on.')
param vaultPurgeProtection bool = true

@description('Days Log Analytics keeps the console logs and Application Insights telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Also create an Azure SQL logical server with one database per school and a control database.')
param deploySql bool = false

@description('The schools\' database names (with deploySql): the databaseName of each school\'s jdbc-url in application.yaml.')
param schools array = []

@description('SKU of each school database and of the control database, e.g. { name: \'S0\', tier: \'Standard\' } or { name: \'GP_S_Gen5_1\', tier: \'GeneralPurpose\' } (serverless).')
param databaseSku object = {
  name: 'S0'
  tier: 'Standard'
}

@description('Object id of the SQL server\'s Entra admin (a DBA group, say); empty: the app\'s managed identity is the admin. With another admin, create the identity\'s user in every database yourself: CREATE USER [<name>-id] FROM EXTERNAL PROVIDER; ALTER ROLE db_owner ADD MEMBER [<name>-id].')
param sqlAdminObjectId string = ''

@description('Display name of that Entra admin (with sqlAdminObjectId).')
param sqlAdminLogin string = ''

@description('Kind of that Entra admin (with sqlAdminObjectId).')
@allowed([
  'User'
  'Group'
  'Application'
])
param sqlAdminPrincipalType string = 'Group'

// Built-in role ids (the same in every tenant).
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6' // read secret values: what the app needs
var keyVaultSecretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7' // write them: what the operator needs

// Consumption workload profile sizes (CPU and memory must come in these pairs). The image's JVM takes
// 75 % of the memory as heap (JAVA_TOOL_OPTIONS in deploy/Dockerfile).
var sizes = {
  small: {
    cpu: '0.5'
    memory: '1Gi'
  }
  medium: {
    cpu: '1.0'
    memory: '2Gi'
  }
  large: {
    cpu: '2.0'
    memory: '4Gi'
  }
}

// The Spring Boot port of the image, and the probes it answers without a login.
var port = 8080

// application.yaml becomes a Container Apps secret mounted as a file: Container Apps has no config
// maps, and a secret volume needs no storage account. It holds placeholders, not secrets.
var applicationYaml = loadTextContent('application.yaml')

var registrySecrets = empty(registryPassword) ? [] : [
  {
    name: 'registry-password'
    value: registryPassword
  }
]

var registries = empty(registryPassword) ? [] : [
  {
    server: split(image, '/')[0]
    username: registryUsername
    passwordSecretRef: 'registry-password'
  }
]

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

// Workspace-based Application Insights: its telemetry lives in the same workspace as the console logs.
resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id // retention: the workspace's
  }
}

// User-assigned rather than system-assigned: it exists before the app, so its Key Vault role (and its
// SQL admin rights) are in place when the first revision starts, and it survives re-creating the app.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${name}-id'
  location: location
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: vaultName
  location: location
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true // roles, not access policies: who may read is one role assignment
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // the API refuses false: leave it out instead
    enablePurgeProtection: vaultPurgeProtection ? true : null
  }
}

resource appReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: identity.properties.principalId
    // said outright, so a just-created identity is not looked up (and missed) in Entra ID's replicas
    principalType: 'ServicePrincipal'
  }
}

resource operatorWritesSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(secretsOfficerPrincipalId)) {
  name: guid(vault.id, secretsOfficerPrincipalId, keyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficer)
    principalId: secretsOfficerPrincipalId
  }
}

resource appEnvironment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: '${name}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
  }
}

resource sql 'Microsoft.Sql/servers@2023-08-01' = if (deploySql) {
  name: '${name}-sql-${uniqueString(resourceGroup().id)}'
  location: location
  properties: {
    minimalTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    administrators: {
      administratorType: 'ActiveDirectory'
      // Entra ID logins only: there is no SQL password to store, leak or rotate
      azureADOnlyAuthentication: true
      login: empty(sqlAdminObjectId) ? identity.name : sqlAdminLogin
      sid: empty(sqlAdminObjectId) ? identity.properties.principalId : sqlAdminObjectId
      principalType: empty(sqlAdminObjectId) ? 'Application' : sqlAdminPrincipalType
      tenantId: tenant().tenantId
    }
  }
}

// 0.0.0.0-0.0.0.0 is Azure's "allow Azure services": the consumption environment has no fixed outbound
// address to allow instead. It admits any Azure-hosted client to the login, which Entra ID then decides;
// a VNet-integrated environment with a private endpoint is the stricter setup.
resource allowAzureServices 'Microsoft.Sql/servers/firewallRules@2023-08-01' = if (deploySql) {
  parent: sql
  name: 'AllowAllWindowsAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

// Each school's own database, as CleverSync expects (README, "Each school's database"): Flyway creates
// the schema at the first sync.
resource schoolDatabases 'Microsoft.Sql/servers/databases@2023-08-01' = [for school in (deploySql ? schools : []): {
  parent: sql
  name: school
  location: location
  sku: databaseSku
}]

// The control database the replicas share: clustered Quartz's job store and the district leases
// (README, "Several replicas"); CleverSync creates its tables with Flyway at startup.
resource controlDatabase 'Microsoft.Sql/servers/databases@2023-08-01' = if (deploySql) {
  parent: sql
  name: '${name}-control'
  location: location
  sku: databaseSku
}

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: name
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    environmentId: appEnvironment.id
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: externalIngress
        targetPort: port
        allowInsecure: false
        transport: 'auto'
      }
      registries: registries
      secrets: concat([
        {
          name: 'appinsights-connection-string'
          value: insights.properties.ConnectionString
        }
        {
          name: 'application-yaml'
          value: applicationYaml
        }
      ], registrySecrets)
    }
    template: {
      containers: [
        {
          name: 'cleversync'
          image: image
          resources: {
            cpu: json(sizes[size].cpu)
            memory: sizes[size].memory
          }
          env: concat([
            // camel-azure-key-vault's {{azure:…}} function reads these itself. Once it sees a vault name
            // in the environment it takes nothing from camel.vault.azure.*, so the identity flag is a
            // variable too (CAMEL_VAULT_AZURE_IDENTITY_ENABLED, not Spring's …_AZURE_IDENTITY_ENABLED)
            {
              name: 'CAMEL_VAULT_AZURE_VAULT_NAME'
              value: vault.name
            }
            {
              name: 'CAMEL_VAULT_AZURE_IDENTITY_ENABLED'
              value: 'true'
            }
            // DefaultAzureCredential (the vault's, and mssql-jdbc's ActiveDirectoryDefault) picks the
            // user-assigned identity by this client id; without it, it looks for a system-assigned one
            {
              name: 'AZURE_CLIENT_ID'
              value: identity.properties.clientId
            }
            {
              name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
              secretRef: 'appinsights-connection-string'
            }
          ], deploySql ? [
            // the logical server's host name, for {{env:AZURE_SQL_SERVER}} in the schools' jdbc-url
            {
              name: 'AZURE_SQL_SERVER'
              value: sql.properties.fullyQualifiedDomainName
            }
            // cleversync.control.jdbc-url: the replicas share the schedules and leases there, logging in
            // with the app's identity like the schools
            {
              name: 'CLEVERSYNC_CONTROL_JDBCURL'
              value: 'jdbc:sqlserver://${sql.properties.fullyQualifiedDomainName}:1433;databaseName=${controlDatabase.name};encrypt=true;authentication=ActiveDirectoryDefault'
            }
          ] : [])
          volumeMounts: [
            {
              volumeName: 'config'
              mountPath: '/app/config'
            }
          ]
          probes: [
            // the JVM, Flyway and Camel take a while: up to 20 s + 10 × 10 s before liveness counts
            {
              type: 'Startup'
              httpGet: {
                path: '/actuator/health/liveness'
                port: port
              }
              initialDelaySeconds: 20
              periodSeconds: 10
              failureThreshold: 10
            }
            {
              type: 'Liveness'
              httpGet: {
                path: '/actuator/health/liveness'
                port: port
              }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/actuator/health/readiness'
                port: port
              }
              periodSeconds: 10
              failureThreshold: 3
            }
          ]
        }
      ]
      volumes: [
        {
          name: 'config'
          storageType: 'Secret'
          secrets: [
            {
              secretRef: 'application-yaml'
              path: 'application.yaml'
            }
          ]
        }
      ]
      // With the control database, two replicas share the schedules (each fire runs once) and hand a
      // running district over when a revision replaces them; without it, exactly one (each replica would
      // run every schedule). Never zero: that would stop the schedules.
      scale: {
        minReplicas: deploySql ? 2 : 1
        maxReplicas: deploySql ? 2 : 1
      }
    }
  }
  // the identity must be allowed to read secrets before the first start resolves {{azure:…}}
  dependsOn: [
    appReadsSecrets
  ]
}

@description('Host name of the app\'s ingress (internal to the environment unless externalIngress).')
output appFqdn string = app.properties.configuration.ingress.fqdn

@description('The vault to put the secrets in.')
output vaultName string = vault.name

@description('Client id of the managed identity (AZURE_CLIENT_ID of the app).')
output identityClientId string = identity.properties.clientId

@description('Host name of the Azure SQL logical server; empty without deploySql.')
output sqlServerFqdn string = deploySql ? sql.properties.fullyQualifiedDomainName : ''
