/**
 * runScan (src/bulk/scan.ts): on a generated directory and tenant its report equals what `match`
 * finds user by user through Graph (the emulator); AD pages that come after the tenant is indexed
 * are diagnosed while the AD read goes on; a failure on either side ends the other read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScan, type ScanCounters } from '../../src/bulk/scan.ts';
import { createCloudDirectory, staticTokenCredential } from '../../src/cloud-directory/index.ts';
import { fingerprintOf } from '../../src/domain/approval/fingerprint.ts';
import { isAutomated } from '../../src/domain/bulk/outcome.ts';
import { rowOf, type ReportRow } from '../../src/domain/bulk/report.ts';
import { diagnose } from '../../src/domain/diagnosis/index.ts';
import type { OnPremUser } from '../../src/domain/onprem-user.ts';
import type { CloudSnapshotSource, OnPremSnapshotSource } from '../../src/ports/snapshot.ts';
import { parseFixtureUsers } from '../../src/sandbox/fixture-directory.ts';
import { generateDirectory } from '../../src/sandbox/generator/generate.ts';
import { startEmulator, type RunningEmulator } from '../../src/sandbox/emulator/server.ts';
import { trustCertificateInProcess } from '../../src/sandbox/emulator/tls-certificate.ts';
import { silentLogger } from '../cloud-directory/harness.ts';
import { bulkWorld } from '../support/bulk-directory.ts';

const SCOPE = { kind: 'scope', scope: { kind: 'sync-scope' } } as const;

function pagesOf(users: readonly OnPremUser[], size: number): OnPremSnapshotSource {
  return {
    async *streamUsers() {
      for (let i = 0; i < users.length; i += size) yield await Promise.resolve(users.slice(i, i + size));
    },
  };
}

describe('a scan against the emulator', () => {
  let emulator: RunningEmulator;
  const generated = generateDirectory({ users: 240, seed: 5 });
  const adUsers = parseFixtureUsers(generated.directory, 'generated', 'auto');

  beforeAll(async () => {
    emulator = await startEmulator({ seed: generated.tenant, https: true, port: 0 });
    trustCertificateInProcess(emulator.caCertificate ?? '');
  });
  afterAll(() => emulator.close());

  it("reports for every AD user what match's Graph look-ups give, row by row, and the same fingerprints", async () => {
    const cloud = createCloudDirectory({ graphBaseUrl: emulator.url, credential: staticTokenCredential('t'), logger: silentLogger });
    const tenant = await cloud.tenantFacts(undefined, { fresh: true });
    const result = await runScan(SCOPE, { onPrem: pagesOf(adUsers, 50), cloud, tenantFacts: () => Promise.resolve(tenant) });
    const viaMatch = await Promise.all(
      adUsers.map(async (onPrem) =>
        diagnose({ who: onPrem.samAccountName, onPrem, evidence: await cloud.evidenceFor(onPrem, { tenant }) }),
      ),
    );
    expect(result.rows).toEqual(viaMatch.map((d) => rowOf(d)));
    const automated = viaMatch.filter((d) => isAutomated(rowOf(d).outcome));
    expect(automated.length).toBeGreaterThan(10);
    expect(result.items.map((i) => i.fingerprint)).toEqual(automated.map(fingerprintOf));
  });
});

describe('runScan reading both sides at once', () => {
  const world = bulkWorld(30);
  const cloud: CloudSnapshotSource = { readCloudSnapshot: () => Promise.resolve(world.cloud) };

  it('diagnoses the pages that come after the tenant is indexed while the AD read goes on', async () => {
    let diagnosed = 0;
    const onPrem: OnPremSnapshotSource = {
      async *streamUsers() {
        yield world.ad.slice(0, 40);
        const waited = Date.now();
        while (diagnosed < 40) {
          if (Date.now() - waited > 2_000) throw new Error('the first page was not diagnosed while the AD read went on');
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        yield world.ad.slice(40);
      },
    };
    const result = await runScan(
      SCOPE,
      { onPrem, cloud, tenantFacts: () => Promise.resolve(world.tenant) },
      { onProgress: (c: ScanCounters) => (diagnosed = c.diagnosed) },
    );
    expect(result.rows.map((r) => r.dn)).toEqual(world.ad.map((u) => u.dn));
  });

  it('ends the AD read when the tenant read fails, and fails with its error', async () => {
    let pages = 0;
    let closed = false;
    const onPrem: OnPremSnapshotSource = {
      async *streamUsers(_scope, options) {
        try {
          for (;;) {
            options?.signal?.throwIfAborted();
            pages += 1;
            yield world.ad.slice(0, 10);
            await new Promise((resolve) => setTimeout(resolve, 2));
          }
        } finally {
          closed = true;
        }
      },
    };
    const failing: CloudSnapshotSource = {
      readCloudSnapshot: () => new Promise((_resolve, reject) => setTimeout(() => reject(new Error('Graph refused the read')), 30)),
    };
    await expect(runScan(SCOPE, { onPrem, cloud: failing, tenantFacts: () => Promise.resolve(world.tenant) })).rejects.toThrow(
      'Graph refused the read',
    );
    expect(closed).toBe(true);
    const after = pages;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(pages).toBe(after);
  });

  it('fails with the AD error at once, aborting the tenant read still under way', async () => {
    let aborted = false;
    const slow: CloudSnapshotSource = {
      readCloudSnapshot: (options) =>
        new Promise((_resolve, reject) =>
          options?.signal?.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('tenant read aborted'));
          }),
        ),
    };
    const onPrem: OnPremSnapshotSource = {
      async *streamUsers() {
        yield await Promise.resolve(world.ad.slice(0, 10));
        throw new Error('the directory went away');
      },
    };
    await expect(runScan(SCOPE, { onPrem, cloud: slow, tenantFacts: () => Promise.resolve(world.tenant) })).rejects.toThrow(
      'the directory went away',
    );
    expect(aborted).toBe(true);
  });

  it('hands the report to a sink chunk by chunk, in order, keeping none of it', async () => {
    const sources = { onPrem: pagesOf(world.ad, 25), cloud, tenantFacts: () => Promise.resolve(world.tenant) };
    const whole = await runScan(SCOPE, sources);
    const chunks: [number, ReportRow[]][] = [];
    const save = async (n: number, rows: ReportRow[]): Promise<void> => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      chunks.push([n, rows]);
    };
    const streamed = await runScan(SCOPE, sources, { report: { size: 7, save } });
    expect(streamed.rows).toEqual([]);
    expect(streamed.reportChunks).toBe(Math.ceil(whole.rows.length / 7));
    expect(chunks.map(([n]) => n)).toEqual([...Array(streamed.reportChunks).keys()]);
    expect(chunks.flatMap(([, rows]) => rows)).toEqual(whole.rows);
    expect(streamed.items).toEqual(whole.items);
    expect(streamed.summary).toEqual(whole.summary);
  });

  it('fails when a chunk of the report cannot be written, and stops reading AD', async () => {
    let closed = false;
    const onPrem: OnPremSnapshotSource = {
      async *streamUsers() {
        try {
          for (;;) yield await new Promise<OnPremUser[]>((resolve) => setTimeout(() => resolve(world.ad.slice(0, 20)), 2));
        } finally {
          closed = true;
        }
      },
    };
    const save = (): Promise<void> => Promise.reject(new Error('the store refused the chunk'));
    await expect(
      runScan(SCOPE, { onPrem, cloud, tenantFacts: () => Promise.resolve(world.tenant) }, { report: { size: 10, save } }),
    ).rejects.toThrow('the store refused the chunk');
    expect(closed).toBe(true);
  });
});
