/**
 * All findings of one diagnosis, blockers first, then warnings, then info (stable within a
 * severity, in the order the builders report them: AD side, target, holders, names, tenant).
 */
import type { TargetChoice } from './choose-target.ts';
import { findingContext } from './finding-context.ts';
import { holderFindings, onPremFindings, targetFindings } from './findings-anchor.ts';
import { provisioningFindings, smtpFindings, upnFindings } from './findings-names.ts';
import { tenantFindings } from './findings-tenant.ts';
import { hardeningFindings } from './findings-2026.ts';
import type { Situation } from './situation.ts';
import type { Finding, Plan, Severity } from './types.ts';

const ORDER: Record<Severity, number> = { blocker: 0, warning: 1, info: 2 };

export function buildFindings(s: Situation, choice: TargetChoice, plan: Plan): Finding[] {
  const c = findingContext(s, choice, plan);
  return sortFindings([
    ...targetFindings(c),
    ...holderFindings(c),
    ...tenantFindings(c),
    ...hardeningFindings(c),
    ...smtpFindings(c),
    ...upnFindings(c),
    ...provisioningFindings(c),
    ...onPremFindings(c),
  ]);
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => ORDER[a.f.severity] - ORDER[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}
