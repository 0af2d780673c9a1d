// Hardmatch in Azure: the bot on App Service (Linux, Node 24) with a user-assigned managed identity,
// the Azure Bot registration with the Teams channel, Table Storage for approvals shared by every
// instance, and an Azure Relay Hybrid Connection so the on-premises relay needs no inbound port.
// Graph application permissions for the managed identity are granted by an admin afterwards (README).

@description('Short name used in every resource name, e.g. hardmatch-contoso.')
@minLength(3)
@maxLength(20)
param name string

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

@description('Shared secret that signs relay requests (at least 32 characters); the same value goes into the relay agent.')
@secure()
@minLength(32)
param relayKey string

@description('App Service plan SKU. B1 is enough for one instance; use P1v3 or larger to scale out.')
param appServiceSku string = 'B1'

var suffix = uniqueString(resourceGroup().id, name)
var hybridConnectionName = 'hardmatch'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${name}-id'
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take('hm${replace(name, '-', '')}${suffix}', 24)
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

// Storage Table Data Contributor, for the managed identity only.
resource tableRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, 'table-data-contributor')
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
  }
}

resource relayNamespace 'Microsoft.Relay/namespaces@2021-11-01' = {
  name: '${name}-relay-${suffix}'
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

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${name}-plan'
  location: location
  sku: { name: appServiceSku }
  kind: 'linux'
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2023-12-01' = {
  name: '${name}-${suffix}'
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|24-lts'
      appCommandLine: 'node dist/main.js'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      healthCheckPath: '/healthz'
      appSettings: [
        { name: 'MicrosoftAppId', value: identity.properties.clientId }
        { name: 'MicrosoftAppType', value: 'UserAssignedMSI' }
        { name: 'MicrosoftAppTenantId', value: tenantId }
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'AZURE_TENANT_ID', value: tenantId }
        { name: 'ADMIN_GROUP_ID', value: adminGroupId }
        { name: 'REQUIRED_APPROVALS', value: string(requiredApprovals) }
        { name: 'STORE_URL', value: 'azure-tables:${storage.properties.primaryEndpoints.table}' }
        { name: 'RELAY_URL', value: 'https://${relayNamespace.name}.servicebus.windows.net/${hybridConnectionName}' }
        { name: 'RELAY_KEY', value: relayKey }
        { name: 'AZURE_RELAY_KEY_NAME', value: sendRule.name }
        { name: 'AZURE_RELAY_KEY', value: sendRule.listKeys().primaryKey }
      ]
    }
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${name}-bot'
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

output botEndpoint string = 'https://${app.properties.defaultHostName}/api/messages'
output botAppId string = identity.properties.clientId
output managedIdentityPrincipalId string = identity.properties.principalId
output relayListenUrl string = 'https://${relayNamespace.name}.servicebus.windows.net/${hybridConnectionName}'
output relayListenKeyName string = listenRule.name
