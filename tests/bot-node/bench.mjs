// Not a test: the time from an activity to the bot's reply, p50 and p95, through the real DevHost, with the fake
// channel signing each activity and botbuilder's ChannelServiceRoutes receiving the reply.
// Usage: node bench.mjs [messages]   (build the solution in Release first)
import { performance } from 'node:perf_hooks';
import { startBot, deliver } from './harness.mjs';
import { startConnector } from './connector.mjs';
import { teamsActivity } from './activities.mjs';

const count = Number(process.argv[2] ?? 200);
const user = { aadObjectId: '7d3f1c2a-0b9e-4f61-8a55-3e2d1c0b9a87', name: 'Bench User', email: 'bench@bench.test' };
const connector = await startConnector([user]);
const bot = await startBot({ users: [user] });
try {
  await deliver(bot, teamsActivity(bot, connector.url, user, 'installationUpdate', { action: 'add' }));
  const stamps = new Map();
  const original = connector.handler.onReplyToActivity.bind(connector.handler);
  connector.handler.onReplyToActivity = async (c, conversationId, activityId, activity) => {
    stamps.set(activityId, performance.now());
    return original(c, conversationId, activityId, activity);
  };
  const took = [];
  for (let i = 0; i < count + 20; i++) {
    const message = teamsActivity(bot, connector.url, user, 'message', { text: i % 2 ? 'help' : 'what is this' });
    const start = performance.now();
    await deliver(bot, message);
    if (i >= 20) took.push(stamps.get(message.id) - start); // the first 20 warm up the JIT and the connections
  }
  took.sort((a, b) => a - b);
  const at = (q) => took[Math.min(took.length - 1, Math.floor(q * took.length))];
  console.log(`activity to reply over ${took.length} messages: p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${took.at(-1).toFixed(1)} ms`);
} finally {
  await bot.stop();
  await connector.close();
}
