import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { describeQueue, queueSection } from '../../src/check/queue-check.ts';
import { Report } from '../../src/check/report.ts';
import { staticTokenCredential } from '../../src/cloud-directory/index.ts';

const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

async function run(queueUrl: string, timeoutMs = 3_000): Promise<{ lines: string[]; failures: number }> {
  const lines: string[] = [];
  const report = new Report((l) => lines.push(l));
  await queueSection({ queueUrl, credential: staticTokenCredential('t'), timeoutMs }, report);
  return { lines, failures: report.failures };
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('the work-item queue check', () => {
  it('store: nothing to reach, the store check covers it', async () => {
    const { lines, failures } = await run('store');
    expect(failures).toBe(0);
    expect(lines).toContain('Work-item queue (in the request store (STORE_URL))');
    expect(lines.join('\n')).toMatch(/OK: bulk work items are kept in the request store/);
  });

  it('azure-queues that cannot be reached fails with what to check, never showing the key', async () => {
    const port = await closedPort();
    const cs = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${KEY};QueueEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`;
    const { lines, failures } = await run(`azure-queues:${cs}`);
    expect(failures).toBe(1);
    const text = lines.join('\n');
    expect(text).toContain(
      `Work-item queue (Azure Storage Queues at http://127.0.0.1:${port}/devstoreaccount1, signed in with the connection string (key not shown))`,
    );
    expect(text).toMatch(/FAILED: could not open the bulk work-item queues/);
    expect(text).toMatch(/Fix: .*(QUEUE_URL|queue endpoint)/);
    expect(text).not.toContain(KEY);
  });

  it('names an https endpoint and the identity it signs in with', () => {
    expect(describeQueue('azure-queues:https://acct.queue.core.windows.net')).toBe(
      "Azure Storage Queues at https://acct.queue.core.windows.net, signed in with the bot's Entra identity",
    );
  });
});
