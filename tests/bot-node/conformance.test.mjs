// Conformance with Microsoft's own code: botbuilder 4.23.3's ChannelServiceRoutes/ChannelServiceHandlerBase serve the
// Connector REST API the bot calls back. The fake Teams channel signs the inbound activities; the DevHost is the bot.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBot, deliver } from './harness.mjs';
import { startConnector } from './connector.mjs';
import { teamsActivity, conversationId } from './activities.mjs';

const user = { aadObjectId: '5b0c8a7e-1c9f-4f0e-9d3a-2a1f0c7e9b11', name: 'Robin Conformance', email: 'robin@conformance.test' };
let bot;
let connector;

before(async () => {
  connector = await startConnector([user]);
  bot = await startBot({ users: [user] });
});

after(async () => {
  await bot?.stop();
  await connector?.close();
});

const card = (call) => call.activity.attachments?.[0]?.content;

test('install: the bot looks the member up, then sends one welcome card to the decoded conversation id', async () => {
  const answer = await deliver(bot, teamsActivity(bot, connector.url, user, 'installationUpdate', { action: 'add' }));

  assert.equal(answer.status, 200);
  const member = connector.handler.calls.find((c) => c.kind === 'member');
  assert.ok(member, 'no member lookup');
  assert.equal(member.conversationId, conversationId(user));
  const sends = connector.handler.calls.filter((c) => c.kind === 'send');
  assert.equal(sends.length, 1);
  assert.equal(sends[0].conversationId, conversationId(user));
  assert.equal(card(sends[0]).version, '1.5');
  assert.equal(card(sends[0]).body[0].text, 'Welcome to TiesOffice');
  assert.equal(sends[0].activity.from.id, `28:${bot.appId}`);
});

test('help: the answer is a reply to the message, through the reply route', async () => {
  const message = teamsActivity(bot, connector.url, user, 'message', { text: 'Help' });

  const answer = await deliver(bot, message);

  assert.equal(answer.status, 200);
  const reply = connector.handler.calls.at(-1);
  assert.equal(reply.kind, 'reply');
  assert.equal(reply.activityId, message.id);
  assert.equal(reply.activity.replyToId, message.id);
  assert.equal(card(reply).body[0].text, 'What I can do');
});

test('digest: the bot answers the command through the reply route', async () => {
  const message = teamsActivity(bot, connector.url, user, 'message', { text: 'digest' });

  const answer = await deliver(bot, message);

  assert.equal(answer.status, 200);
  const reply = connector.handler.calls.at(-1);
  assert.equal(reply.kind, 'reply');
  assert.equal(reply.activityId, message.id);
  assert.equal(card(reply).body[0].text, 'Your week in ties');
});

test('Action.Execute round trip: delete my data, confirm, and the invoke response is the updated card', async () => {
  await deliver(bot, teamsActivity(bot, connector.url, user, 'message', { text: 'delete my data' }));
  const confirm = connector.handler.calls.at(-1);
  const action = card(confirm).actions.find((a) => a.verb === 'confirmDelete');
  assert.equal(action.type, 'Action.Execute');

  const answer = await deliver(bot, teamsActivity(bot, connector.url, user, 'invoke', {
    name: 'adaptiveCard/action',
    replyToId: confirm.id,
    value: { action: { type: 'Action.Execute', id: 'x', verb: action.verb, data: action.data }, trigger: 'manual' },
  }));

  assert.equal(answer.status, 200);
  assert.equal(answer.body.statusCode, 200);
  assert.equal(answer.body.type, 'application/vnd.microsoft.card.adaptive');
  assert.equal(answer.body.value.body[0].text, 'Your data is deleted');
  assert.equal(answer.body.value.refresh.action.type, 'Action.Execute');
  assert.deepEqual(answer.body.value.refresh.userIds, [`29:${user.aadObjectId}`]);
});
