/**
 * The check before a Connect sync (Get-ADSyncScheduler through SYNC_STATUS_COMMAND): what would
 * make the sync a no-op is a coded refusal with the fix, and the sync command is then never run.
 * Driven with the fake commands the sync tests use (a node script printing what PowerShell would).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SYNC_STATUS_COMMAND, loadRelayConfig } from '../../../src/config/load-relay-config.ts';
import { SyncError, toUserText } from '../../../src/errors/index.ts';
import { createCommandSyncTrigger, parseCommandLine } from '../../../src/relay/agent/sync-command.ts';
import {
  compareVersions,
  createSchedulerCheck,
  MIN_CONNECT_VERSION,
  parseSchedulerState,
  refusalOf,
  withPreflight,
  type SchedulerState,
} from '../../../src/relay/agent/sync-preflight.ts';
import { startFixtureRelay } from '../../../src/sandbox/fixture-relay.ts';
import { captureLogger, KEY, relayConfig, signedFetch, silentLogger, syncCommand } from './helpers.ts';

const HEALTHY: SchedulerState = {
  syncCycleEnabled: true,
  stagingModeEnabled: false,
  schedulerSuspended: false,
  syncCycleInProgress: false,
  version: '2.5.190.0',
};

/** A fake status command printing Get-ADSyncScheduler's facts as the default command does. */
function statusCommand(state: Partial<Record<string, unknown>>): string {
  return syncCommand(`process.stdout.write(${JSON.stringify(JSON.stringify(state))});`);
}

/** A sync command that leaves a marker file when it runs, so a test can tell it never did. */
function markingSync(): { command: string; ran: () => boolean } {
  const marker = join(mkdtempSync(join(tmpdir(), 'hardmatch-preflight-')), 'ran');
  return {
    command: syncCommand(
      `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'x'); process.stdout.write('Result\\n------\\nSuccess');`,
    ),
    ran: () => existsSync(marker),
  };
}

async function refusal(promise: Promise<unknown>): Promise<SyncError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SyncError);
  return err as SyncError;
}

describe('parseSchedulerState', () => {
  it('reads the default command’s JSON', () => {
    const json =
      '{"SyncCycleEnabled":true,"StagingModeEnabled":false,"SchedulerSuspended":false,"SyncCycleInProgress":true,"Version":"2.5.190.0"}';
    expect(parseSchedulerState(`\r\n${json}\r\n`)).toEqual({ ...HEALTHY, syncCycleInProgress: true });
  });

  it('reads Get-ADSyncScheduler’s own "Name : Value" list, and leaves unknown what it does not say', () => {
    const text = [
      'AllowedSyncCycleInterval            : 00:30:00',
      'NextSyncCyclePolicyType             : Delta',
      'SyncCycleEnabled                    : False',
      'MaintenanceEnabled                  : True',
      'StagingModeEnabled                  : False',
      'SchedulerSuspended                  : False',
      'SyncCycleInProgress                 : False',
    ].join('\r\n');
    expect(parseSchedulerState(text)).toEqual({
      syncCycleEnabled: false,
      stagingModeEnabled: false,
      schedulerSuspended: false,
      syncCycleInProgress: false,
      version: null,
    });
    expect(parseSchedulerState('nothing useful')).toEqual({
      syncCycleEnabled: null,
      stagingModeEnabled: null,
      schedulerSuspended: null,
      syncCycleInProgress: null,
      version: null,
    });
  });

  it('ignores a version that is not dotted numbers', () => {
    expect(parseSchedulerState('{"Version":"2.5; rm -rf"}').version).toBeNull();
  });
});

describe('refusalOf', () => {
  it.each([
    ['staging mode', { stagingModeEnabled: true }, 'SYNC_STAGING_MODE', /staging mode/, /leave staging mode/],
    [
      'the sync cycle disabled',
      { syncCycleEnabled: false },
      'SYNC_CYCLE_DISABLED',
      /SyncCycleEnabled False/,
      /Set-ADSyncScheduler -SyncCycleEnabled \$true/,
    ],
    [
      'the scheduler suspended',
      { schedulerSuspended: true },
      'SYNC_SCHEDULER_SUSPENDED',
      /SchedulerSuspended True/,
      /Set-ADSyncScheduler -SchedulerSuspended \$false/,
    ],
    [
      'a retired version',
      { version: '2.4.129.0' },
      'SYNC_VERSION_UNSUPPORTED',
      /2\.4\.129\.0 is older than 2\.5\.79\.0/,
      /Upgrade Entra Connect/,
    ],
    ['a cycle in progress', { syncCycleInProgress: true }, 'SYNC_BUSY', /busy with another sync cycle/, /wait a few minutes/],
  ])('refuses %s with its code, the server’s words and the fix', (_name, change, code, message, fix) => {
    const err = refusalOf({ ...HEALTHY, ...change });
    expect(err?.code).toBe(code);
    expect(err?.message).toMatch(message);
    expect(toUserText(err as SyncError).text).toMatch(fix);
  });

  it('lets a healthy or silent server sync', () => {
    expect(refusalOf(HEALTHY)).toBeNull();
    expect(
      refusalOf({ syncCycleEnabled: null, stagingModeEnabled: null, schedulerSuspended: null, syncCycleInProgress: null, version: null }),
    ).toBeNull();
    expect(refusalOf({ ...HEALTHY, version: MIN_CONNECT_VERSION })).toBeNull();
  });

  it('compares versions numerically', () => {
    expect(compareVersions('2.10.0.0', '2.5.79.0')).toBeGreaterThan(0);
    expect(compareVersions('2.5.79', '2.5.79.0')).toBe(0);
    expect(compareVersions('1.6.16.0', '2.5.79.0')).toBeLessThan(0);
  });
});

describe('withPreflight and createSchedulerCheck', () => {
  it('runs the sync when the server is healthy, and names the version in the detail', async () => {
    const sync = markingSync();
    const trigger = withPreflight(
      createCommandSyncTrigger({ command: sync.command, logger: silentLogger() }),
      createSchedulerCheck({
        command: statusCommand({ SyncCycleEnabled: true, StagingModeEnabled: false, Version: '2.5.190.0' }),
        logger: silentLogger(),
      }),
      silentLogger(),
    );
    const result = await trigger.triggerSync();
    expect(sync.ran()).toBe(true);
    expect(result.detail).toBe('Entra Connect 2.5.190.0: Result\n------\nSuccess');
  });

  it('never runs the sync on a server in staging mode', async () => {
    const sync = markingSync();
    const log = captureLogger();
    const trigger = withPreflight(
      createCommandSyncTrigger({ command: sync.command, logger: silentLogger() }),
      createSchedulerCheck({ command: statusCommand({ StagingModeEnabled: true, Version: '2.5.190.0' }), logger: silentLogger() }),
      log.logger,
    );
    const err = await refusal(trigger.triggerSync());
    expect(err.code).toBe('SYNC_STAGING_MODE');
    expect(sync.ran()).toBe(false);
    expect(log.entries()).toContainEqual(
      expect.objectContaining({ code: 'SYNC_STAGING_MODE', msg: 'delta sync not started: it would export nothing' }),
    );
  });

  it('answers SYNC_FAILED naming SYNC_STATUS_COMMAND when the status command fails, and runs nothing', async () => {
    const sync = markingSync();
    const failing = syncCommand(`process.stderr.write('Import-Module : The specified module ADSync was not loaded.'); process.exit(1);`);
    const trigger = withPreflight(
      createCommandSyncTrigger({ command: sync.command, logger: silentLogger() }),
      createSchedulerCheck({ command: failing, logger: silentLogger() }),
      silentLogger(),
    );
    const err = await refusal(trigger.triggerSync());
    expect(err.code).toBe('SYNC_FAILED');
    expect(err.message).toBe(
      'The sync status command (node) exited with code 1: Import-Module : The specified module ADSync was not loaded.; check SYNC_STATUS_COMMAND (set it to none to skip the check).',
    );
    expect(sync.ran()).toBe(false);
  });
});

describe('SYNC_STATUS_COMMAND', () => {
  const base = { RELAY_KEY: KEY, RELAY_FIXTURES: '/tmp' };

  it('checks with Get-ADSyncScheduler by default, skips with a custom SYNC_COMMAND unless set, and "none" turns it off', () => {
    expect(loadRelayConfig(base).syncStatusCommand).toBe(DEFAULT_SYNC_STATUS_COMMAND);
    expect(loadRelayConfig({ ...base, SYNC_COMMAND: 'pwsh -File sync.ps1' }).syncStatusCommand).toBeUndefined();
    expect(
      loadRelayConfig({ ...base, SYNC_COMMAND: 'pwsh -File sync.ps1', SYNC_STATUS_COMMAND: 'pwsh -File status.ps1' }).syncStatusCommand,
    ).toBe('pwsh -File status.ps1');
    expect(loadRelayConfig({ ...base, SYNC_STATUS_COMMAND: 'none' }).syncStatusCommand).toBeUndefined();
  });

  it('the default command parses into PowerShell and one -Command text reading the scheduler and the version', () => {
    const [program, ...args] = parseCommandLine(DEFAULT_SYNC_STATUS_COMMAND);
    expect(program).toBe('powershell.exe');
    expect(args.at(-1)).toMatch(/Get-ADSyncScheduler.*ServerConfigurationVersion.*ConvertTo-Json -Compress$/);
  });

  it('a relay answers POST /v1/sync with 412 SYNC_CYCLE_DISABLED when the cycle is disabled', async () => {
    const sync = markingSync();
    const relay = await startFixtureRelay(
      relayConfig({ syncCommand: sync.command, syncStatusCommand: statusCommand({ SyncCycleEnabled: false }) }),
      { logger: captureLogger().logger },
    );
    try {
      const res = await signedFetch(relay.url, { path: '/v1/sync', body: JSON.stringify({ policy: 'Delta' }) });
      expect(res.status).toBe(412);
      expect(res.json).toEqual({
        error: {
          code: 'SYNC_CYCLE_DISABLED',
          message: "Entra Connect's scheduler has the sync cycle disabled (SyncCycleEnabled False): the cycle would not run.",
        },
      });
      expect(sync.ran()).toBe(false);
    } finally {
      await relay.close();
    }
  });
});
