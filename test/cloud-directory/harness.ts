/**
 * Starts the Entra emulator over HTTPS with the cloud-directory seed and a cloud directory pointed
 * at it exactly as production points one at Graph (base URL + credential), so every test goes
 * through the real Graph SDK, TLS, `$batch` and the emulator's rules.
 */
import { afterEach } from 'vitest';
import { createCloudDirectory, staticTokenCredential, type CloudDirectoryOptions } from '../../src/cloud-directory/index.ts';
import type { CloudDirectory, CloudWriter } from '../../src/ports/cloud-directory.ts';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/sandbox/emulator/server.ts';
import { trustCertificateInProcess } from '../../src/sandbox/emulator/tls-certificate.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { cloudSeed } from './fixtures.ts';

export const FIXED_NOW = new Date('2026-03-05T12:00:00Z');
export const silentLogger = createLogger({ level: 'silent' });

export interface CloudHarness {
  emulator: RunningEmulator;
  directory: CloudDirectory & CloudWriter;
  /** Another directory on the same emulator, with other options. */
  directoryWith(options: Partial<CloudDirectoryOptions>): CloudDirectory & CloudWriter;
  close(): Promise<void>;
}

export async function startCloud(
  options: { emulator?: Partial<EmulatorOptions>; directory?: Partial<CloudDirectoryOptions> } = {},
): Promise<CloudHarness> {
  const emulator = await startEmulator({ seed: cloudSeed(), now: () => FIXED_NOW, ...options.emulator, https: true, port: 0 });
  trustCertificateInProcess(emulator.caCertificate ?? '');
  const directoryWith = (extra: Partial<CloudDirectoryOptions>): CloudDirectory & CloudWriter =>
    createCloudDirectory({
      graphBaseUrl: emulator.url,
      credential: staticTokenCredential('test-token'),
      logger: silentLogger,
      retry: { attempts: 4, baseDelayMs: 20, maxDelayMs: 2_000 },
      ...options.directory,
      ...extra,
    });
  return { emulator, directory: directoryWith({}), directoryWith, close: () => emulator.close() };
}

/** Run `call` and return how many HTTP requests the emulator received meanwhile. */
export async function countRequests<T>(emulator: RunningEmulator, call: () => Promise<T>): Promise<{ result: T; requests: number }> {
  const before = emulator.requestCount();
  const result = await call();
  return { result, requests: emulator.requestCount() - before };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`rejected with a non-Error: ${String(err)}`, { cause: err });
  }
  throw new Error('expected the call to fail, it succeeded');
}

/**
 * For a test file: `cloud` starts a harness and `defer` registers any other cleanup; everything is
 * closed after each test. Call once at the file's top level.
 */
export function perTestClouds(): {
  cloud: (options: Parameters<typeof startCloud>[0]) => Promise<CloudHarness>;
  defer: (cleanup: () => Promise<void>) => void;
} {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  const defer = (cleanup: () => Promise<void>): void => void cleanups.push(cleanup);
  const cloud = async (options: Parameters<typeof startCloud>[0]): Promise<CloudHarness> => {
    const h = await startCloud(options);
    defer(() => h.close());
    return h;
  };
  return { cloud, defer };
}
