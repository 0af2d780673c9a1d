/**
 * Every AD user of the sandbox's fixture directory, as the relay would return them: what the
 * simulated delta sync reads (Entra Connect sees the whole directory, not one look-up). Each user
 * is looked up through the fixture directory itself, so validation and anchors are the relay's.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OnPremUser, SourceAnchorSetting } from '../domain/onprem-user.ts';
import { createFixtureDirectory } from './fixture-directory.ts';
import { FIXTURES_DIR } from './sandbox-relay.ts';

export interface FixtureUsersOptions {
  /** Default: the sandbox's fixtures (src/sandbox/fixtures/directory). */
  dir?: string;
  /** Default 'auto', as the sandbox relay runs. */
  sourceAnchor?: SourceAnchorSetting;
}

/** The sAMAccountNames in every `*.json` file of the folder, in file order. */
async function samAccountNames(dir: string): Promise<string[]> {
  const files = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.json')).sort();
  const names: string[] = [];
  for (const file of files) {
    const parsed = JSON.parse(await readFile(join(dir, file), 'utf8')) as unknown;
    if (!Array.isArray(parsed)) continue; // the directory's own validation reports it on lookup
    for (const entry of parsed as { samAccountName?: unknown }[]) {
      if (typeof entry.samAccountName === 'string') names.push(entry.samAccountName);
    }
  }
  return names;
}

export async function listFixtureUsers(options: FixtureUsersOptions = {}): Promise<OnPremUser[]> {
  const dir = options.dir ?? FIXTURES_DIR;
  const directory = createFixtureDirectory(dir, { sourceAnchor: options.sourceAnchor ?? 'auto' });
  try {
    // Validates every file first: a broken fixture fails here with its name and field.
    await directory.check();
    const users: OnPremUser[] = [];
    for (const name of await samAccountNames(dir)) {
      const { users: found } = await directory.lookup({ kind: 'samAccountName', name, text: name }, 2);
      const user = found.find((u) => u.samAccountName === name);
      if (user) users.push(user);
    }
    return users;
  } finally {
    await directory.close();
  }
}
