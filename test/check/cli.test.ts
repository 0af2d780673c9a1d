/**
 * `npm run check` as a process: configuration read from the environment exactly as `npm run bot`
 * reads it, the real DefaultAzureCredential, the report on stdout and the exit code.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { closedPort, perTestStacks } from './harness.ts';

const NODE = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/check/cli.ts', import.meta.url));
// An empty folder as the working directory, so no .env file adds to the environment.
const cwd = mkdtempSync(join(tmpdir(), 'hardmatch-check-cli-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const stack = perTestStacks();

/** The environment without any Azure credential variable of the machine running the tests. */
function baseEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[1] !== undefined && !/^(AZURE_|Microsoft|ADMIN_|RELAY_|STORE_|GRAPH_)/.test(e[0]),
    ),
  );
}

function runCli(env: Record<string, string>, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(NODE, [CLI, ...args], { cwd, env, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

// Each run starts Node on the TypeScript sources: seconds, not milliseconds.
describe('npm run check (the process)', { timeout: 60_000 }, () => {
  it('names each invalid variable and runs nothing else, exit code 1', async () => {
    const result = await runCli({ ...baseEnv(), RELAY_URL: 'not a url' });
    expect(result.stdout).toContain('Configuration\n  FAILED: the configuration is invalid:');
    expect(result.stdout).toContain('    - MicrosoftAppId: required outside the sandbox');
    expect(result.stdout).toContain('    - RELAY_URL: must be an http(s):// URL');
    expect(result.stdout).toContain('the other checks need a valid configuration, so none ran.');
    expect(result.code).toBe(1);
  });

  it('signs in with DefaultAzureCredential: a client secret that cannot get a token fails, without showing the secret', async () => {
    const s = await stack();
    const secret = 'wrong-client-secret-9f8e7d6c5b4a';
    const env = {
      ...baseEnv(),
      ...s.env,
      AZURE_TENANT_ID: s.env.MicrosoftAppTenantId ?? '',
      AZURE_CLIENT_ID: '33333333-3333-4333-8333-333333333333',
      AZURE_CLIENT_SECRET: secret,
      // The sign-in endpoint: a port nothing listens on, so no request leaves the machine.
      AZURE_AUTHORITY_HOST: `https://127.0.0.1:${await closedPort()}`,
      ADMIN_IDS: '00000000-0000-4000-8000-0000000000a1',
    };
    const result = await runCli(env, ['jdoe']);
    expect(result.stdout).toContain('signed in with the client secret of app 33333333-3333-4333-8333-333333333333');
    expect(result.stdout).toContain(
      'FAILED (CLOUD_AUTH_FAILED): The bot could not get a Microsoft Graph token: AuthenticationError: EnvironmentCredential authentication failed.',
    );
    expect(result.stdout).toContain('Skipped, because there is no usable Graph token (GroupMember.Read.All not checked).');
    expect(result.stdout).toContain('"jdoe" is CN=John Doe,OU=Staff,DC=contoso,DC=com');
    expect(result.stdout).toContain('OK: wrote, read back and replaced a test record');
    expect(result.stdout).toMatch(/Result: \d problem\(s\) found/);
    expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
    expect(result.code).toBe(1);
  });

  it('prints its usage with --help', async () => {
    const result = await runCli(baseEnv(), ['--help']);
    expect(result.stdout).toContain('Usage: npm run check [-- <user>]');
    expect(result.code).toBe(0);
  });
});
