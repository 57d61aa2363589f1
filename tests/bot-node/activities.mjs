// Teams payloads, shaped as Teams sends them to a bot in personal scope.
let next = 0;

export function teamsActivity(bot, connectorUrl, user, type, fill = {}) {
  const now = new Date().toISOString();
  return {
    type,
    id: `n:${++next}`,
    timestamp: now,
    localTimestamp: now,
    localTimezone: 'Europe/London',
    serviceUrl: connectorUrl,
    channelId: 'msteams',
    from: { id: `29:${user.aadObjectId}`, name: user.name, aadObjectId: user.aadObjectId },
    conversation: { conversationType: 'personal', tenantId: bot.tenant, id: `a:1${user.aadObjectId}@unq.gbl.spaces;messageid=1` },
    recipient: { id: `28:${bot.appId}`, name: 'TiesOffice' },
    entities: [{ type: 'clientInfo', locale: 'en-GB', country: 'GB', platform: 'Web', timezone: 'Europe/London' }],
    channelData: { tenant: { id: bot.tenant }, source: { name: 'message' } },
    locale: 'en-GB',
    ...fill,
  };
}

export const conversationId = (user) => `a:1${user.aadObjectId}@unq.gbl.spaces;messageid=1`;
