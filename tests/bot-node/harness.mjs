// Starts the real parts the Node bot tests need: Azurite, the fake Teams channel (token signing, OpenID metadata,
// token endpoint) and the DevHost (the bot under test), each on a free loopback port, all as child processes.
import { spawn } from 'node:child_process';
import { mkdtempSync, existsSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const configuration = process.env.CONFIGURATION ?? 'Release';
const dll = (project) => path.join(root, 'src', project, 'bin', configuration, 'net10.0', `${project}.dll`);

// BOT_NODE_PORTS=FROM-TO keeps every port in a range (a shared machine where each user has one); else the OS picks.
const portRange = process.env.BOT_NODE_PORTS?.match(/^(\d+)-(\d+)$/);
let nextPort = portRange ? Number(portRange[1]) : 0;

function listenOnce(port) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address();
      server.close(() => resolve(bound));
    });
  });
}

export async function freePort() {
  if (!portRange) return listenOnce(0);
  while (nextPort <= Number(portRange[2])) {
    const port = nextPort++;
    try {
      return await listenOnce(port);
    } catch { /* taken: try the next one */ }
  }
  throw new Error(`no free port left in BOT_NODE_PORTS=${process.env.BOT_NODE_PORTS}`);
}

// A child has exited once it has an exit code or, when a signal ended it, a signal code: a process killed by a signal
// keeps exitCode null, and waiting for its 'exit' event then would wait forever (the event has already fired).
const exited = (child) => child.exitCode !== null || child.signalCode !== null;

async function waitFor(url, child, name, options = {}) {
  // Polls until the process answers; a process that exits first fails at once with its output.
  for (let i = 0; i < 600; i++) {
    if (exited(child)) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}):\n${child.output}`);
    try {
      const response = await fetch(url, { ...options, signal: AbortSignal.timeout(5000) });
      if (response.status < 500) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not start:\n${child.output}`);
}

function start(name, command, args, env = {}) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.output = '';
  const keep = (d) => { child.output = (child.output + d).slice(-20000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.label = name;
  return child;
}

/** The actionable-message provider id the DevHost gets with `outlook: true`. */
export const outlookOriginator = 'a11d0000-0000-4000-8000-0000000b0d0e';

/**
 * Starts Azurite, the fake channel and the DevHost; returns their addresses and a stop function. With `outlook`, the
 * bot also serves the Outlook channel (actionable messages on, the fake channel's key endorsed for `outlook`).
 */
export async function startBot({ tenant = 'conformance-tenant', users, outlook = false }) {
  for (const project of ['TiesOffice.DevHost', 'TiesOffice.FakeTeams']) {
    if (!existsSync(dll(project))) throw new Error(`${dll(project)} is missing: build the solution (${configuration}) first.`);
  }

  const dir = mkdtempSync(path.join(os.tmpdir(), 'bot-node-'));
  const children = [];
  const stop = async () => {
    for (const child of children.reverse()) {
      if (!exited(child)) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const [blob, queue, table, teamsPort, botPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    const azurite = start('azurite', path.join(root, 'node_modules', '.bin', 'azurite'), [
      '--inMemoryPersistence', '--silent', '--disableTelemetry', '--skipApiVersionCheck', '--loose',
      '--blobPort', `${blob}`, '--queuePort', `${queue}`, '--tablePort', `${table}`]);
    children.push(azurite);
    await waitFor(`http://127.0.0.1:${table}/`, azurite, 'Azurite');

    const teamsUrl = `https://127.0.0.1:${teamsPort}/`;
    const botUrl = `http://127.0.0.1:${botPort}/`;
    const certificate = path.join(dir, 'fake-teams.pem');
    const appId = '00000000-0000-0000-0000-00000000c0f0';
    const secret = 'conformance-secret';
    const teamsArgs = [dll('TiesOffice.FakeTeams'), '--urls', teamsUrl.replace(/\/$/, ''), '--cert-out', certificate,
      '--bot', `${botUrl}api/messages`, '--app-id', appId, '--secret', secret, '--tenant', tenant];
    for (const u of users) teamsArgs.push('--user', `${u.aadObjectId},${u.name},${u.email}`);
    if (outlook) teamsArgs.push('--endorse', 'outlook');
    const teams = start('fake Teams', 'dotnet', teamsArgs);
    children.push(teams);
    for (let i = 0; i < 600 && !existsSync(certificate); i++) {
      if (exited(teams)) throw new Error(`fake Teams exited:\n${teams.output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const ca = readFileSync(certificate);
    for (let i = 0; ; i++) {
      try { await httpsJson(`${teamsUrl}_fake/users`, 'GET', undefined, ca); break; } catch (error) {
        if (i > 600 || exited(teams)) throw new Error(`fake Teams did not start (${error.message}):\n${teams.output}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }

    const key = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
    const storage = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${key};` +
      `BlobEndpoint=http://127.0.0.1:${blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:${queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:${table}/devstoreaccount1;`;
    const bot = start('DevHost', 'dotnet', [dll('TiesOffice.DevHost'), '--urls', botUrl.replace(/\/$/, '')], {
      ASPNETCORE_ENVIRONMENT: 'Development',
      Graph__BaseUrl: 'http://127.0.0.1:9/v1.0',
      Graph__DevelopmentToken: 'true',
      Storage__ConnectionString: storage,
      Storage__QueueName: 'bot-node',
      Storage__ContactKeySecret: 'bot-node-secret',
      SyncSchedule__Interval: '01:00:00',
      Bot__AppId: appId,
      Bot__OpenIdMetadataUrl: `${teamsUrl}v1/.well-known/openidconfiguration`,
      Bot__TokenEndpoint: teamsUrl,
      Bot__Credential: 'ClientSecret',
      Bot__ClientSecret: secret,
      Bot__AllowedServiceUrls: '127.0.0.1',
      Bot__LoopbackRootCertificatePath: certificate,
      Logging__LogLevel__Default: 'Warning',
      ...(outlook ? {
        Bot__Channels: 'msteams;outlook',
        ActionableMessages__Enabled: 'true',
        ActionableMessages__OriginatorId: outlookOriginator,
        ActionableMessages__SenderMailbox: 'digest@render.test',
      } : {}),
    });
    children.push(bot);
    await waitFor(`${botUrl}api/health`, bot, 'DevHost');
    return { teamsUrl, botUrl, appId, tenant, stop, children, ca };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A JSON request over https that trusts the fake channel's certificate only. */
export function httpsJson(url, method, body, ca) {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { method, ca, headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(30000) }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (d) => { text += d; });
      response.on('end', () => {
        if (response.statusCode >= 400) reject(new Error(`${method} ${url}: ${response.statusCode} ${text}`));
        else resolve(text ? JSON.parse(text) : undefined);
      });
    });
    request.on('error', reject);
    if (body !== undefined) request.write(JSON.stringify(body));
    request.end();
  });
}

/** Has the fake channel sign an activity and deliver it to the bot; returns the bot's answer ({status, body}). */
export function deliver(bot, activity) {
  return httpsJson(`${bot.teamsUrl}_fake/deliver`, 'POST', activity, bot.ca);
}
