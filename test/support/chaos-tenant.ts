/**
 * The chaos run's tenant: a seeded mix of the scenario catalog's automated fixes (src/sandbox/scenarios:
 * every `match` that ends joined through steps the bot carries out itself, at least one of them a
 * Graph write, no MANUAL step), each remediation on its own copy of its scenario. A copy renames
 * everything that identifies the scenario's objects, consistently in AD and in the cloud: object
 * ids and GUIDs (and the ImmutableIDs made from them), sAMAccountNames, the local part of every
 * address and UPN, and the CN of every DN, so copy 7 of `old-immutable-id` is `match cmigratedc007`
 * with the same findings and plan as `match cmigrated`, touching only its own users.
 */
import { readFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { anchorFromImmutableId, parseAnchor, toGuid, toImmutableId } from '../../src/domain/anchors.ts';
import type { StepKind } from '../../src/domain/diagnosis/types.ts';
import type { SeedInput } from '../../src/sandbox/emulator/index.ts';
import {
  SCENARIOS,
  buildSandboxSeed,
  inSandboxSyncScope,
  IDS,
  type Scenario,
  type ScenarioMatch,
} from '../../src/sandbox/scenarios/index.ts';

const AD_FIXTURES = fileURLToPath(new URL('../../src/sandbox/fixtures/directory/users.json', import.meta.url));
const WRITES: readonly StepKind[] = [
  'SET_ANCHOR',
  'CLEAR_ANCHOR',
  'RENAME_UPN_TEMPORARILY',
  'PURGE_DELETED_USER',
  'CLEAR_OBJECT_IDENTIFIER',
];
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const IMMUTABLE_ID = /^[A-Za-z0-9+/]{22}==$/;
const SAM_KEYS = new Set(['samAccountName', 'onPremisesSamAccountName']);
/** The tenant's own objects (admins, roles, groups: sandboxId(0, n)) are shared by every copy, never renamed. */
const TENANT_IDS = new Set<string>(Object.values(IDS).filter((id) => id.startsWith('5a0d00')));

/** One catalog match the chaos run can raise: the scenario and what `match` finds and plans. */
export interface AutomatedFix {
  scenario: Scenario;
  match: ScenarioMatch;
}

/** One remediation of the run: which catalog fix, and the copy's `match` argument. */
export interface ChaosRemediation {
  scenario: string;
  /** What follows `match` for this copy. */
  who: string;
  steps: StepKind[];
  /** The copy's cloud user the plan joins. */
  targetUserId: string;
}

export interface ChaosTenant {
  seed: SeedInput;
  /** Folder of the relay's fixture files (the copies' AD users). */
  fixturesDir: string;
  remediations: ChaosRemediation[];
  inScope: (user: { dn: string }) => boolean;
}

/** The catalog's matches that end joined by the bot's own steps, at least one of them a Graph write. */
export function automatedFixes(): AutomatedFix[] {
  return SCENARIOS.flatMap((scenario) =>
    scenario.matches
      .filter((m) => m.end === 'joined' && !m.steps.includes('MANUAL') && m.steps.some((s) => WRITES.includes(s)))
      .map((match) => ({ scenario, match })),
  );
}

/** Renames one scenario's values for copy `n` (see the header). */
export function copier(n: number): { value<T>(value: T): T; who(who: string): string } {
  const suffix = `c${String(n).padStart(3, '0')}`;
  const guid = (g: string): string => {
    const lower = g.toLowerCase();
    return TENANT_IDS.has(lower) ? lower : `${lower.slice(0, 9)}${(0xc000 + n).toString(16)}${lower.slice(13)}`;
  };
  const text = (s: string, key: string | undefined): string => {
    if (key !== undefined && SAM_KEYS.has(key)) return `${s}${suffix}`;
    if (IMMUTABLE_ID.test(s)) return toImmutableId(parseAnchor(guid(toGuid(anchorFromImmutableId(s)))));
    return s
      .replace(GUID, guid)
      .replace(/([A-Za-z0-9._%+-]+)@/g, `$1${suffix}@`)
      .replace(/CN=([^,]+)/g, `CN=$1 ${suffix}`);
  };
  const walk = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') return text(value, key);
    if (Array.isArray(value)) return value.map((v) => walk(v, key));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  return {
    value: <T>(value: T) => walk(value) as T,
    who: (who) => (who.includes('@') ? text(who, undefined) : `${who}${suffix}`),
  };
}

function copyOf(scenario: Scenario, n: number): Scenario {
  const copy = copier(n);
  return {
    ...scenario,
    id: `${scenario.id}-${n}`,
    adUsers: scenario.adUsers.map((sam) => copy.who(sam)),
    cloud: (t) => copy.value(scenario.cloud(t)),
  };
}

/**
 * `count` remediations, each a fix drawn with `random` from automatedFixes() (a scenario, then one of
 * its matches) on its own copy of its scenario: the sandbox tenant of those copies and their AD users as the relay's fixtures.
 */
export async function chaosTenant(count: number, random: () => number): Promise<ChaosTenant> {
  const fixes = automatedFixes();
  const scenarioIds = [...new Set(fixes.map((f) => f.scenario.id))];
  const ad = JSON.parse(await readFile(AD_FIXTURES, 'utf8')) as { samAccountName: string }[];
  const scenarios: Scenario[] = [];
  const users: unknown[] = [];
  const remediations: ChaosRemediation[] = [];
  for (let n = 1; n <= count; n += 1) {
    // A scenario first (each equally likely, whatever its number of matches), then one of its fixes.
    const scenario = scenarioIds[Math.floor(random() * scenarioIds.length)] as string;
    const ofScenario = fixes.filter((f) => f.scenario.id === scenario);
    const fix = ofScenario[Math.floor(random() * ofScenario.length)] as AutomatedFix;
    const copy = copier(n);
    scenarios.push(copyOf(fix.scenario, n));
    users.push(...ad.filter((u) => fix.scenario.adUsers.includes(u.samAccountName)).map((u) => copy.value(u)));
    remediations.push({
      scenario: fix.scenario.id,
      who: copy.who(fix.match.who),
      steps: [...fix.match.steps],
      targetUserId: copy.value(fix.match.targetUserId ?? ''),
    });
  }
  const fixturesDir = await mkdtemp(join(tmpdir(), 'hardmatch-chaos-fixtures-'));
  await writeFile(join(fixturesDir, 'users.json'), JSON.stringify(users, null, 2));
  return { seed: buildSandboxSeed({ scenarios }), fixturesDir, remediations, inScope: inSandboxSyncScope };
}
