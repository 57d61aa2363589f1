// TiesOffice: the Azure resources of the app (docs/Deploy.md explains every choice and the steps around it).
//
// Deployed at resource-group scope, after the Entra app registration exists (docs/Deploy.md, step 1):
//   az deployment group create -g <rg> -f infra/main.bicep \
//     -p namePrefix=ties contactKeySecret=<secret> entraClientId=<app registration client id>
//
// Creates a user-assigned managed identity, one Storage account (tables, the sync-job queue and its poison queue,
// and the blob container Flex Consumption deploys from), the identity's data-plane roles on that account, Log
// Analytics with Application Insights, the Function App on a Flex Consumption plan, and Azure Bot Service with the
// Teams and Outlook channels. No storage keys, connection strings or client secrets are used anywhere: the account
// forbids shared-key access, and every client (the Functions host, the queue trigger, the app's own table and queue
// clients, the deployment, Microsoft Graph and the bot's calls to the Bot Connector) authenticates as the managed
// identity, which is also the bot's identity (msaAppType UserAssignedMSI).
//
// The Function App is the app's only public host: it serves the API under /api/, the bot's messaging endpoint
// /api/messages, and the static files of the personal tab (/tab/) and the Outlook pane (/pane/). The outputs give
// the domain and ids that scripts/package.sh puts into the app package.
//
// Not declared here, because Bicep cannot or should not: the Entra app registration (a Microsoft Graph object,
// created by the admin), Graph application permissions and their Exchange RBAC for Applications scope, and the
// actionable-message provider registration. docs/Deploy.md gives the commands.

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------------

@description('Azure region of every resource; defaults to the resource group\'s region.')
param location string = resourceGroup().location

@description('Short lowercase prefix of every resource name (letters and digits), for example "ties" or "tiesdev".')
@minLength(2)
@maxLength(10)
param namePrefix string = 'ties'

@description('Secret of the keyed hash that turns contact addresses into row keys (Storage:ContactKeySecret). Set once and never change it: changing it orphans every stored contact row.')
@secure()
@minLength(16)
param contactKeySecret string

@description('Key of the pseudonyms that name users in logs (Privacy:LogPseudonymKey, HMAC-SHA256, at least 16 characters). Without it each instance keys its own, so one user has a different pseudonym per instance and restart. Changing it changes future pseudonyms only; no stored data depends on it.')
@secure()
@minLength(16)
param logPseudonymKey string

@description('Name of the sync-job queue (Storage:QueueName). Its poison queue is this name plus "-poison", as the code expects.')
@minLength(3)
@maxLength(56)
param queueName string = 'sync-jobs'

@description('NCRONTAB schedule of the sync fan-out timer (SyncSchedule:Cron); six fields, seconds first.')
param syncScheduleCron string = '0 */15 * * * *'

@description('.NET version of the dotnet-isolated worker on Flex Consumption. The project targets net10.0.')
param dotnetVersion string = '10.0'

@description('Upper bound on Flex Consumption instances (cost and Graph-throttling guard).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each Flex Consumption instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Public https base URL of the app (for example https://func-ties-abc.azurewebsites.net) to turn on Graph change notifications; empty leaves them off. Known only after the first deployment, so it is a parameter rather than derived.')
param changeNotificationsBaseUrl string = ''

@description('Client id (application id) of the Entra app registration that signs users in to the tab and the pane (docs/Deploy.md, step 1). The API accepts access tokens issued to it.')
@minLength(36)
@maxLength(36)
param entraClientId string

@description('Tenant id of the Entra app registration; defaults to the tenant of this deployment.')
@minLength(36)
@maxLength(36)
param entraTenantId string = tenant().tenantId

@description('Teams app id of the app package (the manifest\'s "id"): the bot\'s deep links into the personal tab use it. Empty: the Entra client id, which is what scripts/package.sh uses by default.')
param teamsAppId string = ''

@description('Region of the Azure Bot resource: "global", or a regional bot for data residency.')
@allowed([
  'global'
  'westeurope'
  'centralindia'
])
param botLocation string = 'global'

@description('Pricing tier of the Azure Bot. F0 is free; Teams and Outlook are standard channels, which F0 does not meter.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Provider id (originator) from the Actionable Email Developer Dashboard. Empty leaves actionable messages off; they are on only when this and actionableMessagesSenderMailbox are both set.')
param actionableMessagesOriginatorId string = ''

@description('The one service mailbox actionable messages are sent from (Graph sendMail as the identity, Mail.Send scoped to this mailbox by Exchange RBAC for Applications). Empty leaves actionable messages off.')
param actionableMessagesSenderMailbox string = ''

@description('Days Log Analytics keeps telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Tags applied to every resource.')
param tags object = {
  application: 'TiesOffice'
}

// ---------------------------------------------------------------------------------------------------
// Names: prefix plus a suffix that is stable per resource group, inside each type's length limits
// ---------------------------------------------------------------------------------------------------

var suffix = uniqueString(resourceGroup().id)
// Storage account names: 3 to 24 lowercase letters and digits, globally unique.
var storageAccountName = take('st${toLower(namePrefix)}${suffix}', 24)
var functionAppName = 'func-${namePrefix}-${suffix}'
var planName = 'plan-${namePrefix}-${suffix}'
var identityName = 'id-${namePrefix}-${suffix}'
var workspaceName = 'log-${namePrefix}-${suffix}'
var appInsightsName = 'appi-${namePrefix}-${suffix}'
// Bot names are global: 2 to 64 letters, digits, hyphens, underscores and periods.
var botName = 'bot-${namePrefix}-${suffix}'
// Flex Consumption reads the deployment package from this container.
var deploymentContainerName = 'app-package-${take(toLower(functionAppName), 32)}'
var poisonQueueName = '${queueName}-poison'

// Built-in role definitions (fixed GUIDs, the same in every tenant):
// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage
var roleDefinitionIds = {
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
}

// ---------------------------------------------------------------------------------------------------
// Identity
// ---------------------------------------------------------------------------------------------------

// One user-assigned identity for storage, the deployment package and Graph: it exists before the app,
// so its roles (and, later, its Exchange RBAC scope) can be granted before the first start.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
  tags: tags
}

// ---------------------------------------------------------------------------------------------------
// Storage
// ---------------------------------------------------------------------------------------------------

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Entra ID only: no account keys, no SAS signed with them.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    accessTier: 'Hot'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

// The app creates its tables on first use (StorageTables), under Storage:TablePrefix.
resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource syncQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: queueName
}

// Declared rather than left to the runtime so that the poison queue is there to monitor from day one.
resource syncPoisonQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: poisonQueueName
}

// Data-plane roles of the identity on the account. Blob Data Owner covers the Functions host's own
// blobs (AzureWebJobsStorage: leases, timer schedule monitor) and the deployment package.
resource tableRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, roleDefinitionIds.storageTableDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionIds.storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, roleDefinitionIds.storageQueueDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionIds.storageQueueDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource blobRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, roleDefinitionIds.storageBlobDataOwner)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionIds.storageBlobDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---------------------------------------------------------------------------------------------------
// Monitoring
// ---------------------------------------------------------------------------------------------------

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
  }
}

// ---------------------------------------------------------------------------------------------------
// Function App (Flex Consumption)
// ---------------------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    // Linux.
    reserved: true
  }
}

// Graph change notifications stay off while NotificationUrl is empty (TiesOfficeServiceExtensions checks
// it); with a base URL they point at the webhook routes in HttpFunctions.
var notificationUrl = empty(changeNotificationsBaseUrl) ? '' : '${changeNotificationsBaseUrl}/api/graph/notifications'
var lifecycleNotificationUrl = empty(changeNotificationsBaseUrl) ? '' : '${changeNotificationsBaseUrl}/api/graph/lifecycle'
var actionableMessagesEnabled = !empty(actionableMessagesOriginatorId) && !empty(actionableMessagesSenderMailbox)
var effectiveTeamsAppId = empty(teamsAppId) ? entraClientId : teamsAppId

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      // Named as the code reads them (README "Configuration"); "__" is the section separator.
      // FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION are absent on purpose: Flex Consumption
      // takes the runtime from functionAppConfig and rejects those two settings.
      appSettings: [
        // Functions host storage, identity-based: account name plus the user-assigned identity.
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        // The "Storage" section serves two readers. The queue trigger (Connection = "Storage") reads
        // queueServiceUri, credential and clientId; TiesOffice's StorageOptions reads TableServiceUri,
        // QueueServiceUri (the same key: configuration keys are case-insensitive), QueueName and
        // ContactKeySecret. Each key is set once.
        { name: 'Storage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }
        { name: 'Storage__credential', value: 'managedidentity' }
        { name: 'Storage__clientId', value: identity.properties.clientId }
        { name: 'Storage__TableServiceUri', value: storage.properties.primaryEndpoints.table }
        { name: 'Storage__QueueName', value: queueName }
        { name: 'Storage__ContactKeySecret', value: contactKeySecret }
        // Logs name users by a keyed pseudonym (UserPseudonym), the same on every instance with this key.
        { name: 'Privacy__LogPseudonymKey', value: logPseudonymKey }
        // Graph as the same user-assigned identity (GraphCredentials picks it by client id).
        { name: 'Graph__Credential', value: 'ManagedIdentity' }
        { name: 'Graph__ClientId', value: identity.properties.clientId }
        { name: 'SyncSchedule__Cron', value: syncScheduleCron }
        { name: 'ChangeNotifications__NotificationUrl', value: notificationUrl }
        { name: 'ChangeNotifications__LifecycleNotificationUrl', value: lifecycleNotificationUrl }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
        // Sign-in for the tab API and the pane (Microsoft.Identity.Web's "AzureAd" section). The access tokens are
        // v2 (the app registration sets requestedAccessTokenVersion 2), whose audience is the client id itself.
        { name: 'AzureAd__Instance', value: environment().authentication.loginEndpoint }
        { name: 'AzureAd__TenantId', value: entraTenantId }
        { name: 'AzureAd__ClientId', value: entraClientId }
        { name: 'AzureAd__Audience', value: entraClientId }
        // The bot (BotOptions): its Microsoft App ID is the managed identity's client id, and its outbound tokens
        // (scope https://api.botframework.com/.default) come from that identity, so there is no bot secret. It
        // accepts the Outlook channel only while actionable messages are on.
        { name: 'Bot__AppId', value: identity.properties.clientId }
        { name: 'Bot__Credential', value: 'ManagedIdentity' }
        { name: 'Bot__TenantId', value: identity.properties.tenantId }
        { name: 'Bot__Channels', value: actionableMessagesEnabled ? 'msteams;outlook' : 'msteams' }
        { name: 'Bot__TeamsAppId', value: effectiveTeamsAppId }
        // Actionable messages: off until an admin registers the provider and passes its originator and the sender
        // mailbox (docs/Deploy.md, "Actionable messages").
        { name: 'ActionableMessages__Enabled', value: actionableMessagesEnabled ? 'true' : 'false' }
        { name: 'ActionableMessages__OriginatorId', value: actionableMessagesOriginatorId }
        { name: 'ActionableMessages__SenderMailbox', value: actionableMessagesSenderMailbox }
        // The provider and the sender mailbox belong to the deployment's tenant: users of other tenants get no mail.
        { name: 'ActionableMessages__TenantId', value: entraTenantId }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
    }
  }
  // The host needs its storage roles and the package container before it first starts.
  dependsOn: [
    tableRole
    queueRole
    blobRole
    deploymentContainer
    syncQueue
    syncPoisonQueue
    tableService
  ]
}

// ---------------------------------------------------------------------------------------------------
// Azure Bot Service
// ---------------------------------------------------------------------------------------------------

// The app's public host name: the Function App serves the tab, the pane, the API and the bot endpoint.
var appDomain = functionApp.properties.defaultHostName

// New multi-tenant bots can no longer be created; this one is a user-assigned managed identity bot, whose app id
// is the identity's client id (https://learn.microsoft.com/azure/bot-service/abs-quickstart).
resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botName
  location: botLocation
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: 'TiesOffice'
    description: 'Weekly relationship digests and reminders, in Teams and as Outlook actionable messages.'
    endpoint: 'https://${appDomain}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
    // No Direct Line or Web Chat secrets: the only channels are Teams and Outlook, which authenticate with Entra ID.
    disableLocalAuth: true
  }
}

// The bot in Teams (personal scope, proactive 1:1 digests and Universal Actions).
resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: botLocation
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// Outlook: the Action.Execute buttons of actionable messages reach the bot through this channel (channel id
// "outlook"), as the same adaptiveCard/action invoke as in Teams.
resource outlookChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'OutlookChannel'
  location: botLocation
  properties: {
    channelName: 'OutlookChannel'
  }
}

// ---------------------------------------------------------------------------------------------------
// Outputs (names and ids only; never a secret)
// ---------------------------------------------------------------------------------------------------

@description('Name of the Function App (for func azure functionapp publish).')
output functionAppName string = functionApp.name

@description('Default host name of the Function App.')
output functionAppHostName string = functionApp.properties.defaultHostName

@description('Name of the Storage account.')
output storageAccountName string = storage.name

@description('Client id of the user-assigned managed identity (the app id to scope with Exchange RBAC for Applications).')
output identityClientId string = identity.properties.clientId

@description('Principal (object) id of the user-assigned managed identity.')
output identityPrincipalId string = identity.properties.principalId

@description('Host name the app package points at (scripts/package.sh --outputs reads it): the tab, the pane and the bot endpoint are all on it.')
output appDomain string = appDomain

@description('URL of the personal tab (Teams, Outlook and microsoft365.com).')
output tabUrl string = 'https://${appDomain}/tab/'

@description('URL of the Outlook sender pane.')
output paneUrl string = 'https://${appDomain}/pane/'

@description('The bot\'s messaging endpoint.')
output botEndpoint string = bot.properties.endpoint

@description('Microsoft App ID of the bot (the identity\'s client id); the manifest\'s botId.')
output botAppId string = bot.properties.msaAppId

@description('Name of the Azure Bot resource.')
output botName string = bot.name

@description('Teams app id the bot links to; scripts/package.sh puts it in the manifest\'s "id".')
output teamsAppId string = effectiveTeamsAppId

@description('Client id of the Entra app registration for sign-in; the manifest\'s webApplicationInfo.id.')
output entraClientId string = entraClientId

@description('Application ID URI to set on the app registration (Expose an API), and the manifest\'s webApplicationInfo.resource.')
output appIdUri string = 'api://${appDomain}/${entraClientId}'

@description('Redirect URI of the app registration\'s single-page application platform, for nested app authentication in Teams and Outlook.')
output nestedAppAuthRedirectUri string = 'brk-multihub://${appDomain}'

@description('Whether actionable messages are on (both the originator and the sender mailbox were given).')
output actionableMessagesEnabled bool = actionableMessagesEnabled
