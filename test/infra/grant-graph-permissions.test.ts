import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The script runs against a stand-in `az` on PATH that records every call and answers like the
// real one: Graph's service principal id, one app role id per permission, and the identity's
// assignments (User.ReadWrite.All already granted).
const run = promisify(execFile);
const PRINCIPAL = '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';
const DOMAIN_PERMISSIONS = [
  'User.ReadWrite.All', 'User.DeleteRestore.All', 'Domain.Read.All',
  'OnPremDirectorySynchronization.Read.All', 'GroupMember.Read.All', 'RoleManagement.Read.Directory',
];
const FAKE_AZ = `#!/usr/bin/env bash
printf '%s\\n' "$*" >> "$AZ_LOG"
args="$*"
case "$args" in
  *"--query id -o tsv"*) echo graph-sp-id ;;
  *"appRoles[?value=="*) p=\${args#*value==\\'}; echo "role-\${p%%\\'*}" ;;
  *"--method GET"*) case "$args" in *role-User.ReadWrite.All*) echo 1 ;; *) echo 0 ;; esac ;;
  *"--method POST"*) echo '{}' ;;
  *) echo "unexpected az call: $args" >&2; exit 9 ;;
esac
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hardmatch-grant-'));
  await writeFile(join(dir, 'az'), FAKE_AZ);
  await chmod(join(dir, 'az'), 0o755);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function grant(...args: string[]): Promise<{ stdout: string }> {
  const log = join(dir, 'az.log');
  return run('bash', ['infra/grant-graph-permissions.sh', ...args], {
    env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}`, AZ_LOG: log },
  });
}

describe('infra/grant-graph-permissions.sh', () => {
  it('grants exactly the application permissions of domain.md, skipping those already held', async () => {
    const { stdout } = await grant(PRINCIPAL);
    expect(stdout).toContain('already granted: User.ReadWrite.All');
    const calls = (await readFile(join(dir, 'az.log'), 'utf8')).trim().split('\n');
    const posts = calls.filter((c) => c.includes('--method POST'));
    const granted = posts.map((c) => /"appRoleId":"role-([^"]+)"/.exec(c)?.[1]);
    expect(granted).toEqual(DOMAIN_PERMISSIONS.filter((p) => p !== 'User.ReadWrite.All'));
    for (const post of posts) {
      expect(post).toContain(`/servicePrincipals/${PRINCIPAL}/appRoleAssignments`);
      expect(post).toContain(`"principalId":"${PRINCIPAL}","resourceId":"graph-sp-id"`);
    }
  });

  it('refuses to run without a principal id', async () => {
    await expect(grant()).rejects.toMatchObject({ code: 2 });
    await expect(grant('not-an-id')).rejects.toMatchObject({ code: 2 });
  });
});
