/**
 * Everything a `match` crosses, started in this process with the real code: the Entra emulator over
 * HTTPS (latency per HTTP request, so one `$batch` is one round trip), the relay agent over the
 * fixture directory with a delay per lookup, the real relay client and cloud directory, the bot's
 * restify endpoint in sandbox mode, and a recording connector that receives the reply. `send`
 * times one message from POST /api/messages to the reply reaching the connector, and returns the
 * timeline the relay and the emulator observed, so a slow run can be explained.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { createBot } from '../../src/compose-teams-bot.ts';
import { sandboxBotOptions } from '../../src/sandbox/sandbox-options.ts';
import type { CloudDirectory, CloudWriter } from '../../src/ports/cloud-directory.ts';
import type { RelayClient } from '../../src/ports/relay.ts';
import { createCloudDirectory, DEFAULT_TENANT_FACTS_TTL_MS, staticTokenCredential } from '../../src/cloud-directory/index.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { loadRelayConfig } from '../../src/config/load-relay-config.ts';
import { startEmulator, trustCertificateInProcess, type RunningEmulator, type SeedInput } from '../../src/sandbox/emulator/index.ts';
import { seededRandom } from '../../src/sandbox/emulator/prng.ts';
import { createLogger, type Logger } from '../../src/logging/logger.ts';
import { createFixtureDirectory } from '../../src/sandbox/fixture-directory.ts';
import { startFixtureRelay } from '../../src/sandbox/fixture-relay.ts';
import { createRelayClient } from '../../src/relay/client/relay-client.ts';
import { createServer } from '../../src/transport/create-server.ts';
import { startRecordingConnector, type RecordedCall, type RecordingConnector } from '../../test/support/recording-connector.ts';
import { withLookupDelay, type LookupSpan } from './delayed-directory.ts';

export interface MatchStackOptions {
  seed: SeedInput;
  /** Folder of AD fixture files the relay serves (the sandbox's). */
  fixturesDir: string;
  /** Added by the emulator to every HTTP response. */
  graphLatencyMs: number;
  /** Added by the relay's directory to every lookup. */
  relayLatencyMs: number;
  /** Where warnings and errors of the parts go (the bench's stderr). */
  log: (line: string) => void;
  /** Fraction of Graph operations the emulator answers 429 (Retry-After: 1); default 0. */
  throttleRate?: number;
  /** Seeds the emulator's PRNG (throttling), so a run is repeatable; default Math.random. */
  randomSeed?: number;
  /** The bot's GRAPH_TIMEOUT_MS; default the product's. */
  graphTimeoutMs?: number;
  /** Point the bot at this Graph instead of the emulator (e.g. a frozen server); the emulator still runs. */
  graphBaseUrl?: string;
}

/** One Graph HTTP request as the emulator saw it (Date.now clock). */
export interface GraphSpan {
  start: number;
  end: number;
  method: string;
  url: string;
  status: number;
}

export interface Exchange {
  /** POST /api/messages sent → reply recorded by the connector, in ms (performance.now). */
  ms: number;
  /** HTTP requests the emulator received during the exchange ($batch = 1). */
  graphRequests: number;
  /** Relay lookups during the exchange. */
  relayCalls: number;
  /** The reply activity as the connector received it. */
  reply: Record<string, unknown>;
  /** Date.now() at POST and at the reply, with what happened in between. */
  timeline: { sent: number; replied: number; relay: LookupSpan[]; graph: GraphSpan[] };
}

export interface MatchStack {
  emulator: RunningEmulator;
  /** The bot's own relay client and cloud directory (the bench calls them to derive the bound). */
  relay: RelayClient;
  cloud: CloudDirectory & CloudWriter;
  /** Send `text` as a 1:1 Teams message and wait for the bot's reply. */
  send(text: string): Promise<Exchange>;
  /** Move the cloud directory's clock past the tenant-facts TTL: the next `match` is cold. */
  expireTenantFacts(): void;
  close(): Promise<void>;
}

const REPLY_TIMEOUT_MS = 30_000;

/** A pino logger that hands warn/error lines to `log`, for parts that must stay quiet while timed. */
function partLogger(name: string, log: (line: string) => void): Logger {
  return createLogger({ level: 'warn', name, destination: { write: (line: string) => log(line.trimEnd()) } });
}

/** The emulator logs each request at debug with its duration: that is the Graph side of the timeline. */
export function graphRecorder(spans: GraphSpan[]): Logger {
  return createLogger({
    level: 'debug',
    name: 'emulator',
    destination: {
      write(line: string) {
        const entry = JSON.parse(line) as { msg?: string; time?: number; ms?: number; method?: string; url?: string; status?: number };
        if (entry.msg !== 'graph request' || entry.time === undefined || entry.ms === undefined) return;
        spans.push({
          start: entry.time - entry.ms,
          end: entry.time,
          method: entry.method ?? '?',
          url: entry.url ?? '?',
          status: entry.status ?? 0,
        });
      },
    },
  });
}

export async function startMatchStack(options: MatchStackOptions): Promise<MatchStack> {
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.reverse()) await close().catch((err: unknown) => options.log(`close failed: ${String(err)}`));
  };
  try {
    const graphSpans: GraphSpan[] = [];
    const emulator = await startEmulator({
      seed: options.seed,
      https: true,
      port: 0,
      latencyMs: options.graphLatencyMs,
      throttleRate: options.throttleRate ?? 0,
      ...(options.randomSeed === undefined ? {} : { random: seededRandom(options.randomSeed) }),
      logger: graphRecorder(graphSpans),
    });
    closers.push(() => emulator.close());
    trustCertificateInProcess(emulator.caCertificate ?? '');

    const key = randomBytes(32).toString('base64url');
    const relayConfig = loadRelayConfig({
      RELAY_KEY: key,
      RELAY_FIXTURES: options.fixturesDir,
      RELAY_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    });
    const directory = withLookupDelay(
      createFixtureDirectory(options.fixturesDir, { sourceAnchor: relayConfig.sourceAnchor }),
      options.relayLatencyMs,
    );
    const relayAgent = await startFixtureRelay({ ...relayConfig, port: 0 }, { logger: partLogger('relay', options.log), directory });
    closers.push(() => relayAgent.close());

    const graphBaseUrl = options.graphBaseUrl ?? emulator.url;
    const timeout = options.graphTimeoutMs === undefined ? {} : { GRAPH_TIMEOUT_MS: String(options.graphTimeoutMs) };
    const config = loadConfig(
      { RELAY_URL: relayAgent.url, RELAY_KEY: key, GRAPH_BASE_URL: graphBaseUrl, LOG_LEVEL: 'warn', ...timeout },
      { sandbox: true },
    );
    if (!config.relay) throw new Error('loadConfig dropped RELAY_URL');
    const botLogger = partLogger('bot', options.log);
    const relay = createRelayClient(config.relay, { logger: botLogger });
    // The cloud directory's own clock, so the bench can make the next match find the tenant facts expired.
    let clockOffset = 0;
    const cloud = createCloudDirectory({
      graphBaseUrl,
      graphTimeoutMs: config.graphTimeoutMs,
      credential: staticTokenCredential('bench-token'),
      logger: botLogger,
      now: () => Date.now() + clockOffset,
    });
    const expireTenantFacts = (): void => {
      clockOffset += DEFAULT_TENANT_FACTS_TTL_MS;
    };
    // In sandbox mode, as the sandbox composes it: anonymous ingress, the SANDBOX frame on every card.
    const { ingress, frame, welcomeExample } = sandboxBotOptions();
    const bot = createBot({ logger: botLogger, relay, cloud, welcomeExample });
    const server = createServer({ config, logger: botLogger, bot, version: 'bench', ingress, frame });
    const botUrl = await server.listen(0);
    closers.push(() => server.close());

    const connector = await startRecordingConnector();
    closers.push(() => connector.close());

    // The bench plays the Bot Framework channel: a plain keep-alive HTTP client, so the timed span
    // holds as little of the channel's own work as possible (the global fetch adds about half a
    // millisecond of its own per request before the bytes leave). Idle sockets close after 4 s,
    // before the bot's server (5 s keep-alive) would close them under a request.
    const channel = new http.Agent({ keepAlive: true, timeout: 4_000 });
    closers.push(() => Promise.resolve(channel.destroy()));
    let sequence = 0;
    const send = async (text: string): Promise<Exchange> => {
      sequence += 1;
      const activityId = `bench-${sequence}`;
      // Replies are looked for from here on, so concurrent sends each find their own (the spans
      // below are reset per send and so only describe sequential sends).
      const firstCall = connector.calls.length;
      directory.spans.length = 0;
      graphSpans.length = 0;
      const requestsBefore = emulator.requestCount();
      const body = JSON.stringify(activity(connector.url, activityId, text));
      const sent = Date.now();
      const started = performance.now();
      const posted = postActivity(channel, `${botUrl}/api/messages`, body);
      const reply = await replyTo(connector, activityId, firstCall);
      // Until the reply's last byte reached the connector, not until the connector has parsed it and answered.
      const ms = reply.receivedAt - started;
      const replied = sent + Math.round(ms);
      const status = await posted;
      if (status !== 200) throw new Error(`POST /api/messages answered HTTP ${status} for "${text}"`);
      return {
        ms,
        graphRequests: emulator.requestCount() - requestsBefore,
        relayCalls: directory.spans.length,
        reply: reply.body,
        timeline: { sent, replied, relay: [...directory.spans], graph: [...graphSpans] },
      };
    };
    return { emulator, relay, cloud, send, expireTenantFacts, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** POSTs one activity as JSON; resolves to the status once the answer was read. */
function postActivity(agent: http.Agent, url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function activity(serviceUrl: string, id: string, text: string): Record<string, unknown> {
  return {
    type: 'message',
    id,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: 'bench-user', name: 'Bench Admin', aadObjectId: '00000000-0000-0000-0000-0000000000b1' },
    recipient: { id: 'bot-1', name: 'Hardmatch' },
    conversation: { id: 'bench-conversation', conversationType: 'personal' },
    text,
  };
}

/** The first message the bot posts in reply to `activityId` (a typing indicator would not count). */
async function replyTo(connector: RecordingConnector, activityId: string, firstCall: number): Promise<RecordedCall> {
  for (let seen = firstCall + 1; ; seen++) {
    await connector.waitForCalls(seen, REPLY_TIMEOUT_MS);
    const call = connector.calls[seen - 1];
    if (call?.replyToId === activityId && call.body.type === 'message') return call;
  }
}
