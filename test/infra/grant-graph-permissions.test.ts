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
  'User.ReadWrite.All',
  'User.DeleteRestore.All',
  'Domain.Read.All',
  'OnPremDirectorySynchronization.Read.All',
  'GroupMember.Read.All',
  'RoleManagement.Read.Directory',
  'User-OnPremisesSyncBehavior.ReadWrite.All',
  'RoleEligibilitySchedule.Read.Directory',
  'AuditLog.Read.All',
];
const CLOUD_SYNC_PERMISSIONS = ['Application.Read.All', 'Synchronization.ReadWrite.All'];
const HYBRID_IDENTITY_ADMIN = '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2';
const FAKE_AZ = `#!/usr/bin/env bash
printf '%s\\n' "$*" >> "$AZ_LOG"
args="$*"
case "$args" in
  *"--query id -o tsv"*) echo graph-sp-id ;;
  *"appRoles[?value=="*) p=\${args#*value==\\'}; echo "role-\${p%%\\'*}" ;;
  *"--method GET"*) case "$args" in *role-User.ReadWrite.All*) echo 1 ;; *roleAssignments*) echo "\${HELD_ROLE:-0}" ;; *) echo 0 ;; esac ;;
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
  return grantWith({}, ...args);
}

/** Each run starts a fresh az.log, so a test reads only its own run's calls. */
async function grantWith(env: Record<string, string>, ...args: string[]): Promise<{ stdout: string }> {
  const log = join(dir, 'az.log');
  await writeFile(log, '');
  return run('bash', ['infra/grant-graph-permissions.sh', ...args], {
    env: { ...process.env, ...env, PATH: `${dir}:${process.env.PATH ?? ''}`, AZ_LOG: log },
  });
}

describe('infra/grant-graph-permissions.sh', () => {
  it('grants exactly the application permissions of domain.md, skipping those already held', async () => {
    const { stdout } = await grant(PRINCIPAL);
    expect(stdout).toContain('already granted: User.ReadWrite.All');
    const calls = (await readFile(join(dir, 'az.log'), 'utf8')).trim().split('\n');
    const posts = calls.filter((c) => c.includes('--method POST') && c.includes('appRoleAssignments'));
    const granted = posts.map((c) => /"appRoleId":"role-([^"]+)"/.exec(c)?.[1]);
    expect(granted).toEqual(DOMAIN_PERMISSIONS.filter((p) => p !== 'User.ReadWrite.All'));
    for (const post of posts) {
      expect(post).toContain(`/servicePrincipals/${PRINCIPAL}/appRoleAssignments`);
      expect(post).toContain(`"principalId":"${PRINCIPAL}","resourceId":"graph-sp-id"`);
    }
  });

  it('makes the identity Hybrid Identity Administrator (for CLEAR_OBJECT_IDENTIFIER) unless told not to, once', async () => {
    const { stdout } = await grant(PRINCIPAL);
    expect(stdout).toContain('assigned: Hybrid Identity Administrator');
    const calls = (await readFile(join(dir, 'az.log'), 'utf8')).trim().split('\n');
    const role = calls.filter((c) => c.includes('--method POST') && c.includes('roleManagement/directory/roleAssignments'));
    expect(role).toHaveLength(1);
    expect(role[0]).toContain(`"principalId":"${PRINCIPAL}","roleDefinitionId":"${HYBRID_IDENTITY_ADMIN}","directoryScopeId":"/"`);
    expect((await grantWith({ HELD_ROLE: '1' }, PRINCIPAL)).stdout).toContain('already assigned: Hybrid Identity Administrator');
    expect((await grant(PRINCIPAL, '--no-directory-role')).stdout).not.toContain('Hybrid Identity Administrator');
  });

  it('adds the Cloud Sync permissions only with --cloud-sync', async () => {
    const { stdout } = await grant(PRINCIPAL, '--cloud-sync', '--no-directory-role');
    for (const p of CLOUD_SYNC_PERMISSIONS) expect(stdout).toContain(`granted: ${p}`);
    expect((await grant(PRINCIPAL, '--no-directory-role')).stdout).not.toContain('Synchronization.ReadWrite.All');
    await expect(grant(PRINCIPAL, '--everything')).rejects.toMatchObject({ code: 2 });
  });

  it('refuses to run without a principal id', async () => {
    await expect(grant()).rejects.toMatchObject({ code: 2 });
    await expect(grant('not-an-id')).rejects.toMatchObject({ code: 2 });
  });
});
