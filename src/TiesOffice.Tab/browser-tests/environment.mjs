// Starts the real parts for the browser tests: Azurite (in memory), the Graph simulator on the Enron demo data
// (shifted to today), and the DevHost in Development serving the built tab at /tab/ and the pane at /pane/. Enrols a handful of demo users
// and waits until the real pipeline has synced and scored them. Every wait polls a state with an overall deadline;
// nothing sleeps for a fixed time and hopes.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const tabRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(tabRoot, '..', '..');
export const artifacts = join(tabRoot, 'artifacts');

/** The demo users the tests enrol: a handful, for speed; real data through the real pipeline. */
export const demoUsers = ['sally.beck@enron.com', 'tana.jones@enron.com', 'mark.e.taylor@enron.com', 'michelle.cash@enron.com'];
export const mainUser = demoUsers[0];
/** An outside contact the tests add to the main user's mailbox (both directions), so a domain can be excluded. */
export const outsideContact = 'kim.lee@northwind.example';

async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** Polls `check` until it returns a value, or fails after `seconds` with the last error. */
export async function until(what, seconds, check) {
  const deadline = Date.now() + seconds * 1000;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    await delay(250);
  }
  throw new Error(`${what} did not happen within ${seconds} s${last ? `: ${last.message}` : ''}`);
}

// Where the built .NET hosts are: this checkout, unless TIES_HOSTS_ROOT names another built checkout.
const hostsRoot = process.env.TIES_HOSTS_ROOT ? resolve(process.env.TIES_HOSTS_ROOT) : repoRoot;

function findDll(project) {
  const dll = join(hostsRoot, 'src', project, 'bin', 'Release', 'net10.0', `${project}.dll`);
  if (!existsSync(dll)) throw new Error(`${dll} is missing: build first (dotnet build TiesOffice.sln -c Release)`);
  return dll;
}

export async function startEnvironment() {
  const logs = join(artifacts, 'logs');
  mkdirSync(logs, { recursive: true });
  const processes = [];
  const start = (name, command, args, env = {}) => {
    const out = openSync(join(logs, `${name}.log`), 'w');
    const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
    processes.push(child);
    return child;
  };
  const stop = async () => {
    for (const child of processes.reverse()) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await Promise.race([once(child, 'exit'), delay(15000)]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    }
  };

  try {
    const [blob, queue, table, simPort, hostPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    const azurite = join(repoRoot, 'node_modules', '.bin', 'azurite');
    if (!existsSync(azurite)) throw new Error('Azurite is missing: run npm ci in the repository root');
    start('azurite', azurite, [
      '--inMemoryPersistence', '--silent', '--disableTelemetry', '--skipApiVersionCheck', '--loose',
      '--blobHost', '127.0.0.1', '--blobPort', String(blob), '--queueHost', '127.0.0.1', '--queuePort', String(queue),
      '--tableHost', '127.0.0.1', '--tablePort', String(table),
    ]);
    const storage = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:${blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:${queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:${table}/devstoreaccount1;`;

    const sim = `http://127.0.0.1:${simPort}`;
    start('simulator', 'dotnet', [findDll('TiesOffice.GraphSimulator'), '--data', join(repoRoot, '..', 'shared', 'data', 'enron'), '--shift-to-now', '--urls', sim]);
    await until('the Graph simulator', 120, async () => (await fetch(`${sim}/_sim/stats`)).ok);

    // Real mail with an outside domain, both ways, over the last weeks (the Enron log has only enron.com addresses).
    for (let week = 1; week <= 8; week++) {
      const sentDateTime = new Date(Date.now() - week * 7 * 86400_000).toISOString();
      const [from, to] = week % 2 ? [mainUser, outsideContact] : [outsideContact, mainUser];
      const response = await fetch(`${sim}/_sim/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ from, to: [to], subject: `Northwind update ${week}`, sentDateTime, conversation: `northwind-${week}` }),
      });
      if (!response.ok) throw new Error(`the simulator refused a message: ${response.status}`);
    }

    const host = `http://127.0.0.1:${hostPort}`;
    start('devhost', 'dotnet', [findDll('TiesOffice.DevHost')], {
      ASPNETCORE_ENVIRONMENT: 'Development',
      ASPNETCORE_URLS: host,
      Graph__BaseUrl: `${sim}/v1.0`,
      Graph__DevelopmentToken: 'true',
      Storage__ConnectionString: storage,
      Storage__ContactKeySecret: 'browser-test-secret',
      SyncSchedule__Interval: '01:00:00',
      Demo__SimulatorUrl: sim,
      Tab__Path: join(tabRoot, 'dist'),
      Pane__Path: join(tabRoot, 'dist-pane'),
      // The host refuses to start without a bot app id (no anonymous bot); these tests send it no activity.
      Bot__AppId: '00000000-0000-0000-0000-00000000b07a',
      Logging__LogLevel__Default: 'Warning',
    });
    await until('the DevHost', 120, async () => (await fetch(`${host}/api/health`)).ok);

    for (const user of demoUsers) {
      const response = await fetch(`${host}/api/dev/enrol?user=${encodeURIComponent(user)}`, { method: 'POST' });
      if (!response.ok) throw new Error(`enrolling ${user} failed: ${response.status} ${await response.text()}`);
    }
    await until('the first sync and scoring of the demo users', 300, async () => {
      const line = await (await fetch(`${host}/api/dev/status?format=text&tiers=false`)).text();
      const status = Object.fromEntries(line.trim().split(/\s+/).map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
      return status.scored >= demoUsers.length && status.pending === 0;
    });

    return { host, sim, tabUrl: `${host}/tab/`, paneUrl: `${host}/pane/`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
