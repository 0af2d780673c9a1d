/**
 * The catalog as the Markdown table in README.md. A unit test checks the README holds exactly
 * this table, so the documentation cannot drift from what the tests run.
 */
import { ENGINE_VARIANTS, SCENARIOS, SWITCH_VARIANTS } from './catalog.ts';
import type { ScenarioMatch } from './types.ts';

const code = (values: readonly string[]): string => (values.length === 0 ? '—' : values.map((v) => `\`${v}\``).join(', '));

function matchCells(m: ScenarioMatch): string {
  const command = `\`match ${m.who}${m.to === undefined ? '' : ` to ${m.to}`}\``;
  return `${command} | ${code(m.findings)} | ${m.steps.length === 0 ? '—' : m.steps.join(' → ')} | ${m.end}`;
}

/** One row per `match` (the bulk scenario has three). */
export function scenarioTable(): string {
  const rows = SCENARIOS.flatMap((s) =>
    s.matches.map((m) => `| ${s.domainScenario ?? s.label ?? 'control'} | \`${s.id}\` | ${s.title} | ${matchCells(m)} |`),
  );
  return ['| # | id | scenario | try | findings | plan | end |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

/** The tenant-switch variants (their own seeds, tests only). */
export function variantTable(): string {
  const rows = SWITCH_VARIANTS.map((v) => {
    const switches = Object.entries(v.switches).map(([k, value]) => `${k}=${String(value)}`);
    return `| \`${v.id}\` | ${code(switches)} | \`${v.scenario}\` | ${matchCells(v.match)} |`;
  });
  return ['| id | switches | on | try | findings | plan | end |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

/** The sync-engine variants (their own seeds): the tenant runs Entra Cloud Sync. */
export function engineTable(): string {
  const rows = ENGINE_VARIANTS.map((v) => `| \`${v.id}\` | \`${v.syncEngine}\` | \`${v.scenario}\` | ${matchCells(v.match)} |`);
  return ['| id | engine | on | try | findings | plan | end |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}
