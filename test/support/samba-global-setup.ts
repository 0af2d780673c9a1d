/**
 * vitest globalSetup of the integration project: one Samba AD DC for the whole run, shared by
 * every integration file (they run one at a time), stopped by PID at the end.
 * Tests read it with `inject('samba')`; it is null when Samba is not installed (outside CI).
 */
import type { TestProject } from 'vitest/node';
import { missingSambaTools, SAMBA_MISSING_LINE, startSamba, type SambaContext } from './samba.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The running test DC, or null when Samba is not installed (integration tests skip). */
    samba: SambaContext | null;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const missing = missingSambaTools();
  if (missing.length > 0) {
    // CI installs Samba (.ci/run); there a missing tool means the run proves nothing, so fail it.
    if (process.env.CI === 'true') {
      throw new Error(`Samba integration tests need ${missing.join(', ')}, which CI must install. ${SAMBA_MISSING_LINE}`);
    }
    console.warn(SAMBA_MISSING_LINE);
    project.provide('samba', null);
    return undefined;
  }
  const samba = await startSamba({ log: (line) => console.log(line) });
  project.provide('samba', samba.context);
  return () => samba.stop();
}
