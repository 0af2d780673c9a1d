/** The SYNC_COMMAND runner: parsing, no shell, exit codes, Entra Connect's "busy", the time limit. */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SYNC_COMMAND } from '../../../src/config/load-relay-config.ts';
import { ConfigError, SyncError, toUserText } from '../../../src/errors/index.ts';
import { createCommandSyncTrigger, locateProgram, parseCommandLine, summarizeOutput } from '../../../src/relay/agent/sync-command.ts';
import { MAX_SYNC_DETAIL_CHARS } from '../../../src/relay/protocol/protocol.ts';
import { captureLogger, silentLogger, syncCommand } from './helpers.ts';

const T0 = Date.UTC(2026, 2, 5, 12, 0, 0);

/** A clock that advances 1.5 s per reading, so startedAt and finishedAt differ predictably. */
function steppingClock(): () => number {
  let t = T0 - 1500;
  return () => (t += 1500);
}

async function syncFailure(command: string, timeoutMs?: number): Promise<SyncError> {
  const trigger = createCommandSyncTrigger({ command, logger: silentLogger(), ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  const err = await trigger.triggerSync().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SyncError);
  return err as SyncError;
}

describe('parseCommandLine', () => {
  it('splits the default command into PowerShell and its -Command text', () => {
    expect(parseCommandLine(DEFAULT_SYNC_COMMAND)).toEqual([
      'powershell.exe',
      '-NoProfile',
      '-NonInteractive',
      '-Command',
      "$ErrorActionPreference = 'Stop'; Import-Module ADSync; Start-ADSyncSyncCycle -PolicyType Delta",
    ]);
  });

  it('keeps Windows backslashes, groups quoted words, and keeps an empty quoted argument', () => {
    expect(parseCommandLine(`"C:\\Program Files\\PowerShell\\7\\pwsh.exe"  -File 'C:\\Sync Scripts\\delta.ps1' "" x"y z"w`)).toEqual([
      'C:\\Program Files\\PowerShell\\7\\pwsh.exe',
      '-File',
      'C:\\Sync Scripts\\delta.ps1',
      '',
      'xy zw',
    ]);
  });

  it.each([
    ['an unclosed quote', 'powershell.exe -Command "Start-ADSyncSyncCycle', 'SYNC_COMMAND: a " quote is not closed'],
    ['nothing but spaces', '   ', 'SYNC_COMMAND: names no program to run'],
    ['an empty program', '"" -Command x', 'SYNC_COMMAND: names no program to run'],
  ])('refuses %s with a ConfigError naming SYNC_COMMAND', (_name, text, problem) => {
    const err = (() => {
      try {
        parseCommandLine(text);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([problem]);
  });
});

describe('summarizeOutput', () => {
  it('trims, drops trailing spaces and CRs, and collapses blank runs', () => {
    expect(summarizeOutput('\r\n\r\nResult  \r\n------\r\n\r\n\r\n\r\nSuccess\r\n\r\n', '')).toBe('Result\n------\n\nSuccess');
  });

  it('joins stdout and stderr and cuts at the limit with an ellipsis', () => {
    expect(summarizeOutput('out', 'err')).toBe('out\nerr');
    const cut = summarizeOutput('x'.repeat(50), '', 10);
    expect(cut).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('createCommandSyncTrigger', () => {
  it('runs the command and answers its trimmed output with start and finish times', async () => {
    const command = syncCommand(`process.stdout.write('\\r\\nResult\\r\\n------\\r\\nSuccess\\r\\n\\r\\n');`);
    const result = await createCommandSyncTrigger({ command, logger: silentLogger(), now: steppingClock() }).triggerSync();
    expect(result).toEqual({
      startedAt: '2026-03-05T12:00:00.000Z',
      finishedAt: '2026-03-05T12:00:01.500Z',
      detail: 'Result\n------\nSuccess',
    });
  });

  it('passes arguments verbatim to the program, never through a shell', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'hardmatch-noshell-')), 'pwned');
    const hostile = `$(touch ${marker}); \`touch ${marker}\` & echo hi | cat > ${marker}`;
    const command = `${syncCommand(`process.stdout.write(JSON.stringify(process.argv.slice(2)));`)} '${hostile}' "two words"`;
    const result = await createCommandSyncTrigger({ command, logger: silentLogger() }).triggerSync();
    expect(JSON.parse(result.detail)).toEqual([hostile, 'two words']);
    expect(existsSync(marker)).toBe(false);
  });

  it('says so when the command prints nothing', async () => {
    const result = await createCommandSyncTrigger({ command: syncCommand(''), logger: silentLogger() }).triggerSync();
    expect(result.detail).toBe('The sync command (node) finished without output.');
  });

  it('turns a non-zero exit into SYNC_FAILED with the exit code and the output', async () => {
    const err = await syncFailure(
      syncCommand(`process.stderr.write('Import-Module : The specified module ADSync was not loaded.\\n'); process.exit(3);`),
    );
    expect(err.code).toBe('SYNC_FAILED');
    expect(err.message).toBe(
      'The sync command (node) failed with exit code 3: Import-Module : The specified module ADSync was not loaded.',
    );
    expect(err.details).toEqual({ exitCode: 3 });
  });

  it('recognises Entra Connect’s "busy" as SYNC_BUSY, in plain words', async () => {
    const busy =
      'Start-ADSyncSyncCycle : System.InvalidOperationException: Connector: contoso.onmicrosoft.com - AAD is busy.\\n   at Microsoft.MetadirectoryServices.Scheduler.Scheduler.StartSyncCycle(String overridePolicy, Boolean interactiveMode)';
    const err = await syncFailure(syncCommand(`process.stderr.write('${busy}'); process.exit(1);`));
    expect(err.code).toBe('SYNC_BUSY');
    expect(err.message).toMatch(/^Entra Connect is busy with another sync cycle \(Start-ADSyncSyncCycle : .*AAD is busy\./);
    const text = toUserText(err);
    expect(text.title).toBe('Entra Connect is already syncing');
    expect(text.text).toMatch(/wait a few minutes/);
  });

  it('stops a command that outruns its time limit with SYNC_TIMEOUT', async () => {
    const started = Date.now();
    const err = await syncFailure(syncCommand(`setTimeout(() => console.log('too late'), 30000);`), 300);
    expect(err.code).toBe('SYNC_TIMEOUT');
    expect(err.message).toBe('The sync command (node) did not finish within 0.3 s and was stopped.');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('says which program is missing, without its arguments', async () => {
    const err = await syncFailure('/nonexistent/bin/powershell.exe -Command "Connect-Thing -Password hunter2"');
    expect(err.code).toBe('SYNC_FAILED');
    expect(err.message).toBe("The sync command's program (powershell.exe) was not found on the relay server; check SYNC_COMMAND.");
    expect(err.message).not.toContain('hunter2');
  });

  it('caps the detail at the protocol limit', async () => {
    const result = await createCommandSyncTrigger({
      command: syncCommand(`process.stdout.write('y'.repeat(20000));`),
      logger: silentLogger(),
    }).triggerSync();
    expect(result.detail).toHaveLength(MAX_SYNC_DETAIL_CHARS);
    expect(result.detail.endsWith('…')).toBe(true);
  });

  it('logs the program name only, never the arguments', async () => {
    const log = captureLogger('trace');
    await createCommandSyncTrigger({ command: `${syncCommand('')} --token s3cr3t-argument`, logger: log.logger }).triggerSync();
    expect(log.entries()).toContainEqual(
      expect.objectContaining({ msg: 'sync command ended', program: 'node', outcome: 'exited', exitCode: 0 }),
    );
    expect(log.text()).not.toContain('s3cr3t-argument');
    expect(log.text()).not.toContain('fake-sync.mjs');
  });

  it('refuses a malformed SYNC_COMMAND when created, before anything runs', () => {
    expect(() => createCommandSyncTrigger({ command: 'pwsh -Command "unclosed', logger: silentLogger() })).toThrow(ConfigError);
  });
});

describe('locateProgram', () => {
  it('finds a bare name along PATH and a path as it is, like execFile', async () => {
    const env = { PATH: '/nonexistent:/usr/bin:/bin' };
    const sh = await locateProgram('sh', { env });
    expect(sh).toMatch(/^\/(usr\/)?bin\/sh$/);
    expect(await locateProgram(sh ?? '', { env: {} })).toBe(sh);
    expect(await locateProgram('sh', { env: {} })).toBeUndefined();
    expect(await locateProgram('hardmatch-no-such-program', { env })).toBeUndefined();
    expect(await locateProgram('/nonexistent/dir/sync', { env })).toBeUndefined();
  });

  it('does not take a file that may not be run, nor a directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hardmatch-locate-'));
    writeFileSync(join(dir, 'plain'), 'not a program', { mode: 0o644 });
    mkdirSync(join(dir, 'sub'));
    expect(await locateProgram('plain', { env: { PATH: dir } })).toBeUndefined();
    expect(await locateProgram('sub', { env: { PATH: dir } })).toBeUndefined();
  });

  it('on Windows tries each PATHEXT extension in each PATH directory, in order', async () => {
    const tried: string[] = [];
    const found = await locateProgram('powershell', {
      platform: 'win32',
      env: { Path: 'C:\\Tools;;C:\\Windows\\System32\\WindowsPowerShell\\v1.0', PATHEXT: '.COM;.EXE' },
      isRunnable: (file) => {
        tried.push(file);
        return Promise.resolve(file.endsWith('v1.0\\powershell.EXE'));
      },
    });
    expect(tried).toEqual([
      'C:\\Tools\\powershell.COM',
      'C:\\Tools\\powershell.EXE',
      'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.COM',
      'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.EXE',
    ]);
    expect(found).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.EXE');
  });

  it('on Windows keeps a given extension and a full path', async () => {
    const tried: string[] = [];
    await locateProgram('C:\\Program Files\\PowerShell\\7\\pwsh.exe', {
      platform: 'win32',
      env: { Path: 'C:\\Tools' },
      isRunnable: (file) => {
        tried.push(file);
        return Promise.resolve(false);
      },
    });
    expect(tried).toEqual(['C:\\Program Files\\PowerShell\\7\\pwsh.exe']);
  });
});
