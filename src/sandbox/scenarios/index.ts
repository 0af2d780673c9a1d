/**
 * The scenario catalog's public surface: the scenarios, the sandbox tenant built from them, the
 * sandbox's sync scope, and the person's part of a plan (see README.md in this folder).
 */
export { ENGINE_VARIANTS, SCENARIOS, SWITCH_VARIANTS, engineVariantById, scenarioById } from './catalog.ts';
export { DEFAULT_SWITCHES, SANDBOX_ROLES, buildSandboxSeed, seedTimes, type SandboxSeedOptions } from './tenant-seed.ts';
export {
  applyManualAction,
  applyPersonAction,
  createEditableDirectory,
  firstRdn,
  type EditableDirectory,
  type PersonWorld,
} from './person-actions.ts';
export { AD_ANCHOR, IDS, OU, immutableIdOf, inSandboxSyncScope, sandboxId } from './values.ts';
export type {
  ManualStepExpectation,
  PersonAction,
  SandboxRoleName,
  Scenario,
  ScenarioCloud,
  ScenarioEnd,
  ScenarioMatch,
  SeedSwitches,
  SeedTimes,
  SwitchVariant,
  EngineVariant,
} from './types.ts';
