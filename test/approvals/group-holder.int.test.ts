/**
 * A mail-enabled group holds an address of the AD user (a variant of scenario 4: Carla's old
 * Northwind alias went to the Northwind Sales group), through /api/messages: the plan asks a person
 * to take it off the group in Exchange; done as the card says (the sandbox's person), the plan ends
 * in a clean join; Done pressed without doing it is refused naming the group and the address, and
 * nothing after the step runs. And a joined user whose alias a group took (Entra quarantined it):
 * the plan frees it from the group and syncs, never touching the join.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSandboxSeed, IDS } from '../../src/sandbox/scenarios/index.ts';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { visibleText } from '../support/card-query.ts';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.ts';
import { approveRequest, infoText, matchCard, pressDone, problemCodes, runToEnd } from './end-state-harness.ts';
import { ADELE, clientFor, flowSandbox, untilState } from './flow-harness.ts';

const SALES = '5a0d9901-0000-4000-8000-000000009901';
const ALIAS = 'carla.mendes@northwind.com';
const LENA = 'lmatched@contoso.com';
const TEAM = '5a0d9902-0000-4000-8000-000000009902';

let connector: RecordingConnector;
let tenantFile: string;
let joinedTenantFile: string;
beforeAll(async () => {
  connector = await startRecordingConnector();
  const seed = buildSandboxSeed();
  const group = {
    id: SALES,
    displayName: 'Northwind Sales',
    mail: 'sales@northwind.com',
    mailEnabled: true,
    securityEnabled: false,
    proxyAddresses: ['SMTP:sales@northwind.com', `smtp:${ALIAS}`],
  };
  tenantFile = join(mkdtempSync(join(tmpdir(), 'hardmatch-group-holder-')), 'tenant.json');
  writeFileSync(tenantFile, JSON.stringify({ ...seed, groups: [...seed.groups, group] }));
  // Lena is joined, but a group took her alias: Entra quarantined it on her (the leftover).
  const team = { id: TEAM, displayName: 'Lena Team', mail: 'lena.team@contoso.com', mailEnabled: true, securityEnabled: false };
  const users = seed.users.map((u) =>
    u.id === IDS.lmatched
      ? {
          ...u,
          proxyAddresses: ['SMTP:lena.matthews@contoso.com'],
          onPremisesProvisioningErrors: [
            {
              category: 'PropertyConflict',
              occurredDateTime: u.onPremisesLastSyncDateTime,
              propertyCausingError: 'ProxyAddress',
              value: `smtp:${LENA}`,
            },
          ],
        }
      : u,
  );
  joinedTenantFile = join(mkdtempSync(join(tmpdir(), 'hardmatch-group-holder-')), 'tenant.json');
  const groups = [...seed.groups, { ...team, proxyAddresses: ['SMTP:lena.team@contoso.com', `smtp:${LENA}`] }];
  writeFileSync(joinedTenantFile, JSON.stringify({ ...seed, users, groups }));
});
afterAll(() => connector.close());

const groupAddresses = (sandbox: RunningSandbox): string[] => sandbox.emulatorState.group(SALES)?.proxyAddresses ?? [];

describe('a group holds an address of the AD user', () => {
  it('plans taking it off the group; done as the card says, match then shows a clean join', async () => {
    const sandbox = await flowSandbox({ SANDBOX_TENANT: tenantFile });
    try {
      const first = await matchCard(sandbox, connector, 'match cmigrated');
      expect(first.text).toContain('Northwind Sales');
      expect(first.text).toContain(ALIAS);
      await approveRequest(sandbox, connector, first.requestId ?? '');
      const { request, refusals } = await runToEnd(sandbox, connector, first.requestId ?? '');
      expect(refusals.map((r) => visibleText(r.card))).toEqual([]);
      expect(request.state).toBe('done');
      // The bot saw the address gone through Graph: the Done was checked, not taken on the person's word.
      const removal = request.steps.find((s) => s.kind === 'MANUAL' && s.action?.kind === 'REMOVE_ADDRESSES');
      expect(request.records.find((r) => r.number === removal?.number)?.doneCheck).toBe('checked');
      expect(groupAddresses(sandbox)).toEqual(['SMTP:sales@northwind.com']);
      expect(sandbox.emulatorState.activeUser(IDS.cmigrated)?.proxyAddresses.map((p) => p.toLowerCase())).toContain(`smtp:${ALIAS}`);

      const clean = await matchCard(sandbox, connector, 'match cmigrated');
      expect(problemCodes(clean.card), clean.text).toEqual([]);
      expect(infoText(clean.card)).toContain('ALREADY_MATCHED');
      expect(clean.requestId).toBeUndefined();
    } finally {
      await sandbox.close();
    }
  });

  it('frees the alias a group holds from a joined user: the join stays, the quarantine is gone, match shows it clean', async () => {
    const sandbox = await flowSandbox({ SANDBOX_TENANT: joinedTenantFile });
    try {
      const first = await matchCard(sandbox, connector, 'match lmatched');
      expect(infoText(first.card)).toContain('ALREADY_MATCHED');
      expect(first.text).toContain('Lena Team');
      await approveRequest(sandbox, connector, first.requestId ?? '');
      const { request, refusals } = await runToEnd(sandbox, connector, first.requestId ?? '');
      expect(refusals.map((r) => visibleText(r.card))).toEqual([]);
      expect(request.state).toBe('done');
      expect(request.steps.some((s) => s.kind === 'PURGE_DELETED_USER' || s.kind === 'SET_ANCHOR' || s.kind === 'CLEAR_ANCHOR')).toBe(
        false,
      );
      const lena = sandbox.emulatorState.activeUser(IDS.lmatched);
      expect(lena?.proxyAddresses).toContain(`smtp:${LENA}`);
      expect(lena?.onPremisesProvisioningErrors).toEqual([]);
      const clean = await matchCard(sandbox, connector, 'match lmatched');
      expect(problemCodes(clean.card), clean.text).toEqual([]);
      expect(clean.requestId).toBeUndefined();
    } finally {
      await sandbox.close();
    }
  });

  it('refuses the Done while the group still holds the address, and runs nothing after it', async () => {
    const sandbox = await flowSandbox({ SANDBOX_TENANT: tenantFile }, { personActs: false });
    try {
      const { requestId } = await matchCard(sandbox, connector, 'match cmigrated');
      await approveRequest(sandbox, connector, requestId ?? '');
      const waiting = await untilState(sandbox, requestId ?? '', ['waiting-for-person']);
      const anchorBefore = sandbox.emulatorState.activeUser(IDS.cmigrated)?.onPremisesImmutableId;
      const answer = await pressDone(sandbox, connector, waiting);
      expect(answer.refused).toBe(true);
      expect(visibleText(answer.card)).toMatch(new RegExp(`is not done yet: the group "Northwind Sales" still holds ${ALIAS}`));
      expect(answer.request.state).toBe('waiting-for-person');
      expect(groupAddresses(sandbox)).toContain(`smtp:${ALIAS}`);
      expect(sandbox.emulatorState.activeUser(IDS.cmigrated)?.onPremisesImmutableId).toBe(anchorBefore);
      const cancelled = await clientFor(sandbox, connector, ADELE).invoke('cancel', { verb: 'cancel', requestId });
      expect(cancelled.status).toBe(200);
    } finally {
      await sandbox.close();
    }
  });
});
