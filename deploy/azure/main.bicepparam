// Parameters of main.bicep for one CleverSync deployment. Copy and edit per environment; anything not
// set here keeps main.bicep's default. Secrets never go here: they go into the Key Vault afterwards.
using 'main.bicep'

param name = 'cleversync'

// the image of a version tag that release.yml pushed, named when the deployment command runs
// (CLEVERSYNC_IMAGE=ghcr.io/<owner>/cleversync:1.2.0): what changes from one deployment to the next.
// A public GHCR package; for a private one also set registryUsername and registryPassword.
param image = readEnvironmentVariable('CLEVERSYNC_IMAGE')

// Hawtio and the management API from outside Azure (they need the management login)
param externalIngress = true

param size = 'medium'

// who may set the vault's secrets, read when the deployment command runs:
//   SECRETS_OFFICER_ID=$(az ad signed-in-user show --query id -o tsv) az deployment group create …
param secretsOfficerPrincipalId = readEnvironmentVariable('SECRETS_OFFICER_ID', '')

// an Azure SQL server with the databases of the schools in application.yaml (their databaseName)
param deploySql = true
param schools = [
  'lincoln-high'
  'roosevelt-middle'
]
