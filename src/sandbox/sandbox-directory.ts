/**
 * The sandbox's AD: one editable in-memory directory, loaded at start from the fixture folder
 * (src/sandbox/fixtures/directory) or from the file SANDBOX_DIRECTORY names (one JSON array in the
 * relay agent's fixture format, validated by the same rules). The sandbox relay's look-ups and the
 * simulated delta sync both read it, and manualDone's person actions change it, so a fix rehearsed
 * on a copy of an admin's own data plays through as it would against their AD.
 *
 * With the catalog's tenant and AD (neither SANDBOX_TENANT nor SANDBOX_DIRECTORY) it also holds the other forests the catalog's Entra
 * Connect still syncs (src/sandbox/fixtures/other-forests: Frank Sutton's old Northwind account,
 * scenario 7). The simulated sync reads them with the sandbox's own users; the relay does not serve
 * them (it runs in contoso.com), so the bot sees them only through the cloud, as in production.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Env } from '../config/parse-env.ts';
import type { OnPremUser } from '../domain/onprem-user.ts';
import { ConfigError, DirectoryError } from '../errors/index.ts';
import { parseFixtureJson, parseFixtureUsers, type FixtureSource } from './fixture-directory.ts';
import { listFixtureUsers } from './fixture-users.ts';
import { createEditableDirectory, type EditableDirectory } from './scenarios/index.ts';

/** The other forests' AD objects, in the relay's fixture format. */
export const OTHER_FORESTS_DIR = fileURLToPath(new URL('./fixtures/other-forests', import.meta.url));

/** The sandbox relay's SOURCE_ANCHOR: each user's effective anchor as `auto` decides it. */
const SOURCE_ANCHOR = 'auto';

export interface SandboxDirectory {
  directory: EditableDirectory;
  /** 'fixtures' (the sandbox's own users), or the SANDBOX_DIRECTORY file. */
  source: string;
  /** What the relay agent serves: the editable directory as it is at each look-up. */
  fixtures: FixtureSource;
  /** Every AD user of the sandbox's own forest now (copies). */
  users(): Promise<OnPremUser[]>;
  /**
   * AD objects of other forests the same Entra Connect syncs (the catalog's old Northwind forest),
   * editable by the sandbox's person; empty with SANDBOX_TENANT or SANDBOX_DIRECTORY. Not served by the relay.
   */
  otherForests: EditableDirectory;
  /** Every AD object the simulated Entra Connect sync reads now: the sandbox's forest, then the others. */
  syncUsers(): Promise<OnPremUser[]>;
}

/** One fixture file's users, validated; errors name SANDBOX_DIRECTORY, the file and the field. */
export async function loadDirectoryFile(file: string): Promise<OnPremUser[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new ConfigError([`SANDBOX_DIRECTORY: fixture file ${file}: ${why}`]);
  }
  try {
    const users = parseFixtureUsers(parseFixtureJson(text, file), file, SOURCE_ANCHOR);
    if (users.length === 0)
      throw new ConfigError([`SANDBOX_DIRECTORY: fixture file ${file} has no users (it must be a JSON array of at least one)`]);
    return users;
  } catch (err) {
    if (err instanceof DirectoryError) throw new ConfigError([`SANDBOX_DIRECTORY: ${err.message}`]);
    throw err;
  }
}

export async function loadSandboxDirectory(env: Env): Promise<SandboxDirectory> {
  const file = env.SANDBOX_DIRECTORY;
  const initial = file ? await loadDirectoryFile(file) : await listFixtureUsers();
  const directory = createEditableDirectory(initial);
  // The other forests belong to the catalog's world: an AD or a tenant of the admin's own has none here.
  const own = env.SANDBOX_TENANT !== undefined || file !== undefined;
  const otherForests = createEditableDirectory(own ? [] : await listFixtureUsers({ dir: OTHER_FORESTS_DIR }));
  const users = (): Promise<OnPremUser[]> => Promise.resolve(directory.users());
  const syncUsers = (): Promise<OnPremUser[]> => Promise.resolve([...directory.users(), ...otherForests.users()]);
  return { directory, source: file ?? 'fixtures', fixtures: { users }, users, otherForests, syncUsers };
}
