/**
 * `hardmatch-relay check`: validates the configuration for real (TLS files readable, directory
 * reachable, one lookup) and says in plain words what is wrong and what to do. No secret is shown.
 */
import { access, constants } from 'node:fs/promises';
import type { RelayAgentConfig } from '../../config/load-relay-config.ts';
import { classifyWho } from '../../domain/who.ts';
import { toUserText } from '../../errors/index.ts';
import type { Logger } from '../../logging/logger.ts';
import { DEFAULT_LOOKUP_LIMIT } from '../protocol/protocol.ts';
import { createDirectory, type OpenFixtures } from './create-directory.ts';
import type { Directory } from './directory.ts';
import { parseCommandLine } from './sync-command.ts';

export interface CheckDeps {
  /** Receives the report one line at a time (the CLI writes it to stdout). */
  write: (line: string) => void;
  logger: Logger;
  /** Default: built from config. An injected directory is left open for its owner. */
  directory?: Directory;
  /** Opens RELAY_FIXTURES (the sandbox's relay only). */
  openFixtures?: OpenFixtures;
  /** Who to look up; default the LDAP bind account (fixtures have no default). */
  sample?: string;
  /** Where SYNC_COMMAND's program is found (the CLI: locateProgram on the relay's PATH). */
  locate: (program: string) => Promise<string | undefined>;
}

const SOURCE_ANCHOR_WORDS = {
  auto: 'auto (mS-DS-ConsistencyGuid when set, else objectGUID)',
  objectGUID: 'objectGUID',
  'mS-DS-ConsistencyGuid': 'mS-DS-ConsistencyGuid',
} as const;

function configurationLines(config: RelayAgentConfig): string[] {
  const scheme = config.tls ? 'https' : 'http';
  const lines = [
    `  Listens on:     ${scheme}://${config.host}:${config.port}${config.tls ? '' : ' (plain HTTP: set RELAY_TLS_CERT_FILE and RELAY_TLS_KEY_FILE for HTTPS)'}`,
    '  RELAY_KEY:      set (not shown)',
  ];
  if (config.fixturesDir) {
    lines.push(`  Directory:      fixture files in ${config.fixturesDir} (sandbox, not a real AD)`);
  } else if (config.ldap) {
    const l = config.ldap;
    lines.push(
      `  Directory:      ${l.url}`,
      `  Bind as:        ${l.bindDn} (password set, not shown)`,
      `  Search base:    ${l.baseDn}`,
      `  Trusted CA:     ${l.caFile ?? "the system's trusted CAs (LDAP_CA_FILE not set)"}`,
      `  Timeouts:       connect ${l.connectTimeoutMs} ms, search ${l.timeoutMs} ms`,
    );
  }
  lines.push(`  Source anchor:  ${SOURCE_ANCHOR_WORDS[config.sourceAnchor]}`);
  lines.push(
    config.azureRelay
      ? `  Azure Relay:    ${config.azureRelay.url} (key name ${config.azureRelay.keyName}, key not shown)`
      : '  Azure Relay:    not used (the bot connects to the address above)',
  );
  return lines;
}

async function tlsProblems(config: RelayAgentConfig): Promise<string[]> {
  if (!config.tls) return [];
  const problems: string[] = [];
  for (const [variable, file] of [
    ['RELAY_TLS_CERT_FILE', config.tls.certFile],
    ['RELAY_TLS_KEY_FILE', config.tls.keyFile],
  ] as const) {
    try {
      await access(file, constants.R_OK);
    } catch {
      problems.push(`  FAILED: ${variable} names ${file}, which cannot be read.`);
    }
  }
  return problems;
}

/** Plain words for any failure: the error's title and what to do next. */
function failureLines(err: unknown): string[] {
  const text = toUserText(err);
  return [`  FAILED (${text.code}): ${text.title}.`, `  ${text.text}`];
}

async function directoryLines(directory: Directory): Promise<{ ok: boolean; lines: string[] }> {
  try {
    await directory.check();
    const what = directory.kind === 'ldap' ? 'signed in and searched Active Directory' : 'loaded the fixture files';
    return { ok: true, lines: [`  OK: ${what}.`] };
  } catch (err) {
    return { ok: false, lines: failureLines(err) };
  }
}

function defaultSample(config: RelayAgentConfig): string | undefined {
  return config.ldap?.bindDn;
}

async function sampleLines(directory: Directory, sample: string | undefined): Promise<{ ok: boolean; lines: string[] }> {
  if (sample === undefined) {
    return { ok: true, lines: ['  Skipped: name a user to look up, e.g. `hardmatch-relay check jdoe`.'] };
  }
  try {
    const result = await directory.lookup(classifyWho(sample), DEFAULT_LOOKUP_LIMIT);
    if (result.users.length === 0) {
      return { ok: true, lines: [`  No user matched "${sample}" (the directory answered; check the name or LDAP_BASE_DN).`] };
    }
    const lines = [`  "${sample}": ${result.users.length}${result.truncated ? '+' : ''} user(s) found.`];
    for (const u of result.users) {
      lines.push(`  - ${u.dn}: ImmutableID ${u.anchor.immutableId} (from ${u.anchor.attribute})${u.enabled ? '' : ', disabled'}`);
    }
    return { ok: true, lines };
  } catch (err) {
    return { ok: false, lines: failureLines(err) };
  }
}

/** Checks the directory, then one lookup; the directory is closed after unless it was injected. */
async function directorySection(config: RelayAgentConfig, deps: CheckDeps): Promise<boolean> {
  const { write } = deps;
  write('');
  write(`Directory (${config.fixturesDir ? 'fixtures' : 'LDAP'})`);
  let directory: Directory;
  try {
    directory =
      deps.directory ??
      (await createDirectory(config, { logger: deps.logger, ...(deps.openFixtures ? { openFixtures: deps.openFixtures } : {}) }));
  } catch (err) {
    failureLines(err).forEach((l) => write(l));
    return false;
  }
  try {
    const dir = await directoryLines(directory);
    dir.lines.forEach((l) => write(l));
    write('');
    write('Sample lookup');
    const sample = dir.ok
      ? await sampleLines(directory, deps.sample ?? defaultSample(config))
      : { ok: false, lines: ['  Skipped: the directory check failed.'] };
    sample.lines.forEach((l) => write(l));
    return dir.ok && sample.ok;
  } finally {
    if (!deps.directory) await directory.close();
  }
}

/**
 * Finds SYNC_COMMAND's program without running it (running it would start a real sync cycle). Only
 * the program is named: the arguments could hold a host name or a credential. With fixtures a
 * missing program is reported but does not fail the check: only /v1/sync needs it.
 */
async function syncSection(config: RelayAgentConfig, deps: CheckDeps): Promise<boolean> {
  const { write } = deps;
  write('');
  write('Sync command');
  let program: string;
  try {
    program = parseCommandLine(config.syncCommand)[0] ?? '';
  } catch (err) {
    failureLines(err).forEach((l) => write(l));
    return false;
  }
  const found = await deps.locate(program);
  if (found) {
    write(`  OK: ${program} found at ${found} (not run: \`hardmatch-relay sync\` runs one delta sync).`);
    return true;
  }
  const where = /[\\/]/.test(program) ? 'does not exist or may not be run' : "is not on this server's PATH";
  if (config.fixturesDir) {
    write(`  Not found: ${program} ${where}; with fixtures only POST /v1/sync needs it.`);
    return true;
  }
  write(`  FAILED: ${program} ${where}, so a delta sync cannot be started.`);
  write('  Run the relay on the Entra Connect server, or set SYNC_COMMAND to a program that starts a delta sync there.');
  return false;
}

/** Writes the report and returns the process exit code: 0 when everything works, else 1. */
export async function runCheck(config: RelayAgentConfig, deps: CheckDeps): Promise<number> {
  const { write } = deps;
  write('hardmatch-relay check');
  write('');
  write('Configuration');
  configurationLines(config).forEach((l) => write(l));
  const tls = await tlsProblems(config);
  tls.forEach((l) => write(l));
  const directoryOk = await directorySection(config, deps);
  const syncOk = await syncSection(config, deps);
  const ok = tls.length === 0 && directoryOk && syncOk;
  write('');
  write(ok ? 'Result: all checks passed.' : 'Result: problems found (see FAILED above).');
  return ok ? 0 : 1;
}
