// Hardmatch in Azure: the bot on App Service (Linux, Node 24) running as a user-assigned managed
// identity, the Azure Bot registration with the Teams channel, Table Storage for approvals shared by
// every instance (identity-based, no keys), an Azure Relay Hybrid Connection so the on-premises relay
// needs no inbound port, Key Vault holding the relay secrets, and Application Insights.
// Graph application permissions for the identity are granted afterwards by a Privileged Role
// Administrator with infra/grant-graph-permissions.sh (docs/deploy.md).
// Deployed by `atk provision` (m365agents.yml) or `az deployment group create`.

@description('Short name used in every resource name, e.g. hardmatch-contoso.')
@minLength(3)
@maxLength(20)
param resourceBaseName string

@description('Region for all resources.')
param location string = resourceGroup().location

@description('The Entra tenant whose admins use the bot; activities from other tenants are ignored.')
param tenantId string = subscription().tenantId

@description('Object id of the Entra group whose members may request and approve.')
param adminGroupId string

@description('Approvals needed from admins other than the requester.')
@minValue(1)
@maxValue(5)
param requiredApprovals int = 1

@description('Shared secret that signs relay requests (at least 32 characters); the same value goes into the relay agent. Stored in Key Vault only.')
@secure()
@minLength(32)
param relayKey string

@description('Key of the audit trail\'s HMAC chain (at least 32 characters). Kept in Key Vault, out of the storage account, so write access to the store alone cannot re-chain the trail. Never change it: trails keyed with the old key stop verifying.')
@secure()
@minLength(32)
param auditKey string

@description('App Service plan SKU. B1 is enough for one instance; use P1v3 or larger to scale out.')
param appServiceSku string = 'B1'

@description('Microsoft Graph endpoint (national clouds have their own).')
param graphBaseUrl string = 'https://graph.microsoft.com'

@description('Days Log Analytics keeps the bot\'s logs and telemetry.')
@minValue(30)
param logRetentionDays int = 30

var suffix = uniqueString(resourceGroup().id, resourceBaseName)
var hybridConnectionName = 'hardmatch'
var relayUrl = 'https://${relayNamespace.name}.servicebus.windows.net/${hybridConnectionName}'
// Built-in role definition ids.
var roles = {
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-id'
  location: location
}

// ---------------------------------------------------------------- store (Table Storage)
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take('hm${replace(resourceBaseName, '-', '')}${suffix}', 24)
  location: location
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource tableRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageTableDataContributor)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
  }
}

// The bulk work items' queues (QUEUE_URL) live in the same account; the bot creates them.
resource queueRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageQueueDataContributor)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
  }
}

// ---------------------------------------------------------------- Azure Relay
resource relayNamespace 'Microsoft.Relay/namespaces@2021-11-01' = {
  name: '${resourceBaseName}-relay-${suffix}'
  location: location
  sku: { name: 'Standard', tier: 'Standard' }
}

resource hybridConnection 'Microsoft.Relay/namespaces/hybridConnections@2021-11-01' = {
  parent: relayNamespace
  name: hybridConnectionName
  properties: { requiresClientAuthorization: true }
}

// Least privilege: the bot may only send, the on-premises agent may only listen.
resource sendRule 'Microsoft.Relay/namespaces/hybridConnections/authorizationRules@2021-11-01' = {
  parent: hybridConnection
  name: 'bot-send'
  properties: { rights: [ 'Send' ] }
}

resource listenRule 'Microsoft.Relay/namespaces/hybridConnections/authorizationRules@2021-11-01' = {
  parent: hybridConnection
  name: 'relay-listen'
  properties: { rights: [ 'Listen' ] }
}

// ---------------------------------------------------------------- Key Vault (RBAC)
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('kv${replace(resourceBaseName, '-', '')}${suffix}', 24)
  location: location
  properties: {
    tenantId: tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource relayKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'relay-key'
  properties: { value: relayKey }
}

resource auditKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'audit-key'
  properties: { value: auditKey }
}

resource relaySendKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'azure-relay-send-key'
  properties: { value: sendRule.listKeys().primaryKey }
}

// For the on-premises relay agent's AZURE_RELAY_KEY; an admin reads it once (docs/deploy.md).
resource relayListenKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'azure-relay-listen-key'
  properties: { value: listenRule.listKeys().primaryKey }
}

resource vaultRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

// ---------------------------------------------------------------- logs and telemetry
resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: logRetentionDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'Node.JS'
    WorkspaceResourceId: workspace.id
  }
}

// ---------------------------------------------------------------- the bot
resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  sku: { name: appServiceSku }
  kind: 'linux'
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2023-12-01' = {
  name: '${resourceBaseName}-${suffix}'
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve with this identity (it holds Key Vault Secrets User).
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|24-lts'
      // The deployed zip is dist/ with its production node_modules (m365agents.yml deploy).
      appCommandLine: 'node --max-semi-space-size=8 --heap-growing-percent=100 main.js'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      healthCheckPath: '/healthz'
      appSettings: [
        { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' }
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
        { name: 'MicrosoftAppType', value: 'UserAssignedMSI' }
        { name: 'MicrosoftAppId', value: identity.properties.clientId }
        { name: 'MicrosoftAppTenantId', value: tenantId }
        // DefaultAzureCredential picks the user-assigned identity by its client id.
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'GRAPH_BASE_URL', value: graphBaseUrl }
        { name: 'ADMIN_GROUP_ID', value: adminGroupId }
        { name: 'REQUIRED_APPROVALS', value: string(requiredApprovals) }
        { name: 'STORE_URL', value: 'azure-tables:https://${storage.name}.table.${environment().suffixes.storage}' }
        { name: 'QUEUE_URL', value: 'azure-queues:https://${storage.name}.queue.${environment().suffixes.storage}' }
        { name: 'RELAY_URL', value: relayUrl }
        { name: 'RELAY_KEY', value: '@Microsoft.KeyVault(SecretUri=${relayKeySecret.properties.secretUri})' }
        { name: 'AUDIT_KEY', value: '@Microsoft.KeyVault(SecretUri=${auditKeySecret.properties.secretUri})' }
        { name: 'AZURE_RELAY_KEY_NAME', value: sendRule.name }
        { name: 'AZURE_RELAY_KEY', value: '@Microsoft.KeyVault(SecretUri=${relaySendKeySecret.properties.secretUri})' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        // App Service's Application Insights agent for Node on Linux: request and dependency telemetry.
        { name: 'ApplicationInsightsAgent_EXTENSION_VERSION', value: '~3' }
        // glibc: at most 2 malloc arenas, so memory freed by V8's and libuv's threads goes back to use (src/config/node-flags.ts).
        { name: 'MALLOC_ARENA_MAX', value: '2' }
      ]
    }
  }
  dependsOn: [ tableRole, queueRole, vaultRole ]
}

// The bot writes pino JSON lines to stdout: App Service console logs carry them to Log Analytics.
resource appLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: app
  properties: {
    workspaceId: workspace.id
    logs: [
      { category: 'AppServiceConsoleLogs', enabled: true }
      { category: 'AppServiceHTTPLogs', enabled: true }
      { category: 'AppServicePlatformLogs', enabled: true }
    ]
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${resourceBaseName}-bot'
  location: 'global'
  sku: { name: 'F0' }
  kind: 'azurebot'
  properties: {
    displayName: 'Hardmatch'
    endpoint: 'https://${app.properties.defaultHostName}/api/messages'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: tenantId
    msaAppType: 'UserAssignedMSI'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: { isEnabled: true }
  }
}

// Read by m365agents.yml and the env files (arm/deploy writes each into env/.env.<env>).
output BOT_ID string = identity.properties.clientId
output BOT_DOMAIN string = app.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${app.properties.defaultHostName}'
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = app.id
output MANAGED_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
output KEY_VAULT_NAME string = vault.name
output RELAY_LISTEN_URL string = relayUrl
output RELAY_LISTEN_KEY_NAME string = listenRule.name
output RELAY_LISTEN_KEY_SECRET_URI string = relayListenKeySecret.properties.secretUri
