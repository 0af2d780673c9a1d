import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * A bare machine (Node and npm, no compiler headers, no system libraries) must install the
 * project, and npm 12 runs a dependency's install script only when package.json's `allowScripts`
 * allows it. So every package in the lock file that has an install script and is not optional
 * must be on this short list, each with the reason its script is needed.
 */
const NEEDED_INSTALL_SCRIPTS: Record<string, string> = {
  // Name-only in allowScripts: the lock file records no resolved URLs, so npm cannot verify a pinned
  // version and refuses a pinned allow; the lock's integrity hash pins the tarball instead.
  // Its preinstall puts the Node 24 binary in node_modules/.bin, so every npm script runs on
  // Node 24 whatever the machine has (scripts/check-node.cjs fails the install if it did not run).
  node: 'brings Node 24',
};

interface LockPackage {
  version?: string;
  hasInstallScript?: boolean;
  optional?: boolean;
  devOptional?: boolean;
}

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockPackage> };
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { allowScripts?: Record<string, boolean>; scripts: Record<string, string> };
const nameOf = (path: string): string => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
const scripted = Object.entries(lock.packages)
  .filter(([path, p]) => path !== '' && p.hasInstallScript)
  .map(([path, p]) => ({ name: nameOf(path), version: p.version ?? '', optional: p.optional === true }));

function allowed(name: string, version: string): boolean | undefined {
  const rules = pkg.allowScripts ?? {};
  return rules[`${name}@${version}`] ?? rules[name];
}

describe('install scripts in package-lock.json', () => {
  it('has no non-optional package with an install script outside the allow-list', () => {
    const unexpected = scripted.filter((p) => !p.optional && !(p.name in NEEDED_INSTALL_SCRIPTS)).map((p) => `${p.name}@${p.version}`);
    expect(
      unexpected,
      'a dependency with an install script (a native build needs a compiler and often a system library): drop it, make it optional, or add it here with the reason',
    ).toEqual([]);
  });

  it('allows in package.json exactly the listed packages, at their locked version, and denies every other scripted package', () => {
    for (const p of scripted) {
      expect(allowed(p.name, p.version), `${p.name}@${p.version} in allowScripts`).toBe(p.name in NEEDED_INSTALL_SCRIPTS);
    }
    const stale = Object.keys(pkg.allowScripts ?? {}).filter(
      (key) => !scripted.some((p) => key === p.name || key === `${p.name}@${p.version}`),
    );
    expect(stale, 'allowScripts entries for packages no longer in the lock file, or at another version').toEqual([]);
  });

  it("fails the install, rather than start on the machine's Node, when the Node 24 binary did not arrive", () => {
    expect(pkg.scripts.postinstall).toBe('node scripts/check-node.cjs');
  });
});

describe('scripts/check-node.cjs (the postinstall)', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** A project copy whose node_modules/.bin/node prints `version` (or is absent). */
  function run(version: string | undefined, env: Record<string, string> = {}): { status: number | null; stderr: string } {
    const dir = mkdtempSync(join(tmpdir(), 'hardmatch-check-node-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'scripts'));
    copyFileSync('scripts/check-node.cjs', join(dir, 'scripts', 'check-node.cjs'));
    if (version) {
      mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
      writeFileSync(join(dir, 'node_modules', '.bin', 'node'), `#!/bin/sh\necho ${version}\n`);
      chmodSync(join(dir, 'node_modules', '.bin', 'node'), 0o755);
    }
    const base = { ...process.env };
    delete base.npm_config_omit; // set when the tests run under `npm ci --omit=dev`-like settings
    const result = spawnSync(process.execPath, [join(dir, 'scripts', 'check-node.cjs')], { encoding: 'utf8', env: { ...base, ...env } });
    return { status: result.status, stderr: result.stderr };
  }

  it('passes when node_modules/.bin/node is Node 24 or later', () => {
    expect(run('v24.21.0').status).toBe(0);
    expect(run('v26.1.0').status).toBe(0);
  });

  it("fails the install, naming the cause, when the node package's install script did not run", () => {
    const { status, stderr } = run(undefined);
    expect(status).toBe(1);
    expect(stderr).toMatch(/node_modules\/\.bin\/node is missing/);
    expect(stderr).toMatch(/allowScripts/);
  });

  it('fails the install when the binary is an older Node', () => {
    const { status, stderr } = run('v20.20.2');
    expect(status).toBe(1);
    expect(stderr).toMatch(/v20\.20\.2; Node 24 or later is needed/);
  });

  it('leaves a production install (--omit=dev) alone: the server brings its own Node', () => {
    expect(run(undefined, { npm_config_omit: 'dev' }).status).toBe(0);
  });
});
