import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAppPackage } from '../../scripts/build-app-package.ts';

// `atk validate --package-file` asks the Developer Portal (it needs a Microsoft 365 sign-in), so
// the built zip is unpacked and atk checks what is inside, offline, with its schema and rules.
// The Agents Toolkit CLI is not a devDependency: it pulls keytar, a native module that needs
// libsecret to build, and the project must install on a bare machine. CI installs it on its own
// (.ci/run, with --ignore-scripts: validation never touches the keychain) and names it in ATK_CLI;
// elsewhere the tier skips with one line, as the Samba and Chromium tiers do.
const ATK = process.env.ATK_CLI ?? join(process.cwd(), 'node_modules', '.bin', 'atk');
const hasAtk = existsSync(ATK);
export const ATK_MISSING_LINE = '*** AGENTS TOOLKIT CLI NOT INSTALLED: skipping atk validate (.ci/run installs it and sets ATK_CLI) ***';
if (!hasAtk) {
  if (process.env.CI === 'true')
    throw new Error(`ATK_CLI=${ATK} does not exist: on CI the atk validate tier must run (.ci/run installs it).`);
  console.log(ATK_MISSING_LINE);
}
const run = promisify(execFile);

let dir: string;

async function atkValidate(manifestDir: string): Promise<{ code: number; output: string }> {
  const envFile = join(dir, '.env.none');
  await writeFile(envFile, '');
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [
        ATK,
        'validate',
        '--manifest-file',
        join(manifestDir, 'manifest.json'),
        '--env-file',
        envFile,
        '--telemetry',
        'false',
        '--interactive',
        'false',
      ],
      { cwd: dir, timeout: 90_000, env: { ...process.env, CI: 'true' } },
    );
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

async function unpack(zipFile: string, into: string, edit?: (manifest: { description: { short: string } }) => void): Promise<void> {
  await mkdir(into, { recursive: true });
  for (const [name, bytes] of Object.entries(unzipSync(await readFile(zipFile)))) {
    if (name === 'manifest.json' && edit) {
      const manifest = JSON.parse(new TextDecoder().decode(bytes)) as { description: { short: string } };
      edit(manifest);
      await writeFile(join(into, name), JSON.stringify(manifest));
    } else {
      await writeFile(join(into, name), bytes);
    }
  }
}

beforeAll(async () => {
  if (!hasAtk) return;
  dir = await mkdtemp(join(tmpdir(), 'hardmatch-atk-'));
  await writeFile(
    join(dir, '.env.test'),
    'TEAMS_APP_ID=3c5e9a1b-7f2d-4e8a-9b6c-1d2e3f4a5b6c\nBOT_ID=8f7e6d5c-4b3a-4291-8f0e-1d2c3b4a5968\nBOT_DOMAIN=hardmatch-dev.azurewebsites.net\n',
  );
  await buildAppPackage({ envFile: join(dir, '.env.test'), appPackageDir: 'appPackage', outFile: join(dir, 'hardmatch.zip') });
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!hasAtk)('atk validate (Microsoft 365 Agents Toolkit CLI, offline)', () => {
  it('passes the built package', async () => {
    await unpack(join(dir, 'hardmatch.zip'), join(dir, 'built'));
    const { code, output } = await atkValidate(join(dir, 'built'));
    expect(output).toMatch(/All passed/);
    expect(code).toBe(0);
  }, 120_000);

  it('fails a package whose short description is too long for Teams', async () => {
    await unpack(join(dir, 'hardmatch.zip'), join(dir, 'too-long'), (m) => {
      m.description.short = 'x'.repeat(81);
    });
    const { code, output } = await atkValidate(join(dir, 'too-long'));
    expect(output).toMatch(/description\/short must NOT have more than 80 characters/);
    expect(code).not.toBe(0);
  }, 120_000);
});
