/**
 * The anonymous sandbox endpoint over HTTP: where it listens, where it replies, and what a caller
 * sending something that is not an activity gets back.
 */
import { networkInterfaces } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.ts';
import { INTERNAL_TEXT, messageActivity, post, startBot, type Running } from './helpers.ts';

/** This machine's first non-loopback IPv4 address: "somewhere else on the network". */
const LAN = Object.values(networkInterfaces())
  .flat()
  .find((i) => i?.family === 'IPv4' && !i.internal)?.address;

let local: RecordingConnector;
const running: Running[] = [];
beforeAll(async () => {
  local = await startRecordingConnector();
});
afterAll(() => local.close());
afterEach(async () => {
  for (const r of running.splice(0)) await r.server.close();
  local.calls.length = 0;
});

async function sandboxBot(env: Record<string, string> = {}): Promise<Running> {
  const r = await startBot(loadConfig(env, { sandbox: true }));
  running.push(r);
  return r;
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 200));

describe('sandbox endpoint: where it listens', () => {
  it('binds 127.0.0.1 by default, so other machines cannot reach it', async () => {
    const r = await sandboxBot();
    expect(r.server.server.address().address).toBe('127.0.0.1');
    expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${r.url}/healthz`)).status).toBe(200);
    if (LAN) {
      const port = new URL(r.url).port;
      await expect(fetch(`http://${LAN}:${port}/healthz`)).rejects.toThrow();
    }
  });

  it('binds where HOST says', async () => {
    const r = await sandboxBot({ HOST: '0.0.0.0' });
    expect(r.server.server.address().address).toBe('0.0.0.0');
  });

  it('refuses a HOST that is neither an IP address nor a host name', () => {
    expect(() => loadConfig({ HOST: 'http://0.0.0.0' }, { sandbox: true })).toThrow(/HOST: must be an IP address or host name/);
  });
});

describe('sandbox endpoint: where it replies', () => {
  it.runIf(LAN)('refuses an activity whose serviceUrl is not a loopback address with 403, and posts nothing there', async () => {
    const remote = await startRecordingConnector(LAN);
    try {
      const r = await sandboxBot({ HOST: '0.0.0.0' });
      const res = await post(r.url, messageActivity(remote.url, 'help'));
      expect(res.status).toBe(403);
      expect(await res.text()).toBe('Forbidden: the sandbox answers only activities whose serviceUrl is a loopback address.');
      await settle();
      expect(remote.calls).toHaveLength(0);
      expect(r.logs.find((l) => l.msg === 'refused an activity whose serviceUrl is not a loopback address')).toMatchObject({
        level: 40,
        serviceUrl: remote.url,
      });
    } finally {
      await remote.close();
    }
  });

  it.each(['http://10.1.2.3:3978/', 'https://smba.trafficmanager.net/emea/', 'http://127.0.0.1.nip.io/', 'http://[fd00::2]/'])(
    'refuses serviceUrl %s with 403',
    async (serviceUrl) => {
      const r = await sandboxBot();
      expect((await post(r.url, messageActivity(serviceUrl, 'help'))).status).toBe(403);
    },
  );

  it.each(['127.0.0.1', 'localhost'])('answers a serviceUrl on %s (loopback)', async (host) => {
    const r = await sandboxBot();
    const serviceUrl = `http://${host}:${new URL(local.url).port}/`;
    expect((await post(r.url, messageActivity(serviceUrl, 'help'))).status).toBe(200);
    expect(await local.waitForCalls(1)).toHaveLength(1);
  });
});

describe('sandbox endpoint: what is not an activity', () => {
  const malformed: [string, unknown][] = [
    ['no type', { ...messageActivity('http://127.0.0.1:1/', 'help'), type: undefined }],
    ['a numeric type', { ...messageActivity('http://127.0.0.1:1/', 'help'), type: 5 }],
    ['an empty type', { ...messageActivity('http://127.0.0.1:1/', 'help'), type: ' ' }],
    ['serviceUrl: 5', { ...messageActivity('http://127.0.0.1:1/', 'help'), serviceUrl: 5 }],
    ['a serviceUrl that is not a URL', { ...messageActivity('http://127.0.0.1:1/', 'help'), serviceUrl: 'localhost' }],
    ['no conversation', { ...messageActivity('http://127.0.0.1:1/', 'help'), conversation: undefined }],
    ['a conversation that is a string', { ...messageActivity('http://127.0.0.1:1/', 'help'), conversation: 'c-1' }],
    ['a from that is a number', { ...messageActivity('http://127.0.0.1:1/', 'help'), from: 7 }],
    ['a text that is an object', { ...messageActivity('http://127.0.0.1:1/', 'help'), text: { a: 1 } }],
    ['a JSON array', [messageActivity('http://127.0.0.1:1/', 'help')]],
    ['a body that is not JSON', '{"type": "message", '],
    ['an empty body', ''],
  ];

  it.each(malformed)('answers %s with 400 and fixed words, never internal text', async (_name, body) => {
    const r = await sandboxBot();
    const res = await post(r.url, body);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).not.toMatch(INTERNAL_TEXT);
    expect(text).toMatch(/^Bad request/);
    await settle();
    expect(local.calls).toHaveLength(0);
  });

  it('answers a body sent as text/plain with 400 too', async () => {
    const r = await sandboxBot();
    const res = await fetch(`${r.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toMatch(INTERNAL_TEXT);
  });

  it('answers an oversized body with 413 and fixed words', async () => {
    const r = await sandboxBot();
    const res = await post(r.url, messageActivity(local.url, 'x'.repeat(1024 * 1024 + 10)));
    expect(res.status).toBe(413);
    expect(await res.text()).not.toMatch(INTERNAL_TEXT);
  });
});
