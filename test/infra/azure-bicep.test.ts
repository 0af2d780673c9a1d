import { readFileSync } from 'node:fs';
import { parse as parseEnv } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

// The Bicep compiler cannot be had on these machines, so this checks what can be read off the text:
// parameters against `param` declarations, the outputs the toolkit project reads, and secrets.
const bicep = readFileSync('infra/azure.bicep', 'utf8');
const lines = bicep.split('\n');
const parameters = (JSON.parse(readFileSync('infra/azure.parameters.json', 'utf8')) as { parameters: Record<string, { value: unknown }> })
  .parameters;
const toolkitYaml = readFileSync('m365agents.yml', 'utf8');
const manifest = readFileSync('appPackage/manifest.json', 'utf8');
const devEnv = parseEnv(readFileSync('env/.env.dev', 'utf8'));
/** Set by the toolkit itself, or chosen by whoever provisions. */
const BUILT_IN = new Set(['TEAMSFX_ENV', 'APP_NAME_SUFFIX', 'AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME']);

interface Param {
  name: string;
  hasDefault: boolean;
  secure: boolean;
}
const params: Param[] = lines.flatMap((line, i) => {
  const m = /^param\s+(\w+)\s+\w+(\s*=)?/.exec(line);
  if (!m?.[1]) return [];
  let j = i - 1;
  while (j >= 0 && lines[j]?.startsWith('@')) j -= 1;
  const secure = lines.slice(j + 1, i).some((l) => l.startsWith('@secure()'));
  return [{ name: m[1], hasDefault: Boolean(m[2]), secure }];
});
const outputs = new Set(lines.flatMap((line) => /^output\s+(\w+)\s/.exec(line)?.[1] ?? []));
const placeholders = (text: string): string[] => [...text.matchAll(/\$\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? '');

/** Every value a toolkit action writes into the env file (writeToEnvironmentFile maps). */
function writtenByActions(doc: unknown): string[] {
  if (Array.isArray(doc)) return doc.flatMap(writtenByActions);
  if (doc === null || typeof doc !== 'object') return [];
  return Object.entries(doc).flatMap(([key, value]) =>
    key === 'writeToEnvironmentFile' ? Object.values(value as Record<string, string>) : writtenByActions(value),
  );
}
const written = new Set(writtenByActions(parseYaml(toolkitYaml)));

function appSettings(): Map<string, string> {
  const start = bicep.indexOf('appSettings: [');
  const block = bicep.slice(start, bicep.indexOf('\n      ]', start));
  return new Map([...block.matchAll(/\{ name: '(\w+)', value: (.+) \}/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

describe('infra/azure.parameters.json against infra/azure.bicep', () => {
  it('provides every parameter that has no default', () => {
    const missing = params.filter((p) => !p.hasDefault && !(p.name in parameters)).map((p) => p.name);
    expect(missing).toEqual([]);
    expect(params.map((p) => p.name)).toContain('relayKey');
  });

  it('names no parameter the template does not declare', () => {
    const declared = new Set(params.map((p) => p.name));
    expect(Object.keys(parameters).filter((k) => !declared.has(k))).toEqual([]);
  });

  it('gives secure parameters no default and passes them only from a SECRET_ variable', () => {
    const secure = params.filter((p) => p.secure);
    expect(secure.map((p) => p.name)).toEqual(['relayKey', 'auditKey']);
    for (const p of secure) {
      expect(p.hasDefault).toBe(false);
      expect(parameters[p.name]?.value).toMatch(/^\$\{\{SECRET_\w+\}\}$/);
    }
  });
});

describe('what the toolkit project reads from provisioning', () => {
  it('is a Bicep output or written by a toolkit action', () => {
    const read = new Set([...placeholders(toolkitYaml), ...placeholders(manifest)]);
    const unsourced = [...read].filter((v) => !BUILT_IN.has(v) && !written.has(v) && !outputs.has(v) && !devEnv[v]);
    expect(unsourced).toEqual([]);
    expect(outputs.has('BOT_AZURE_APP_SERVICE_RESOURCE_ID')).toBe(true);
  });

  it('lists in env/.env.dev only variables someone sets: the toolkit, a Bicep output, or the admin', () => {
    const adminSet = new Set(placeholders(readFileSync('infra/azure.parameters.json', 'utf8')));
    const empty = Object.entries(devEnv)
      .filter(([, v]) => v === '')
      .map(([k]) => k);
    expect(empty.filter((k) => !BUILT_IN.has(k) && !written.has(k) && !outputs.has(k) && !adminSet.has(k))).toEqual([]);
  });
});

describe('secrets', () => {
  const settings = appSettings();

  it('reach the bot as Key Vault references, never as values', () => {
    for (const name of ['RELAY_KEY', 'AZURE_RELAY_KEY', 'AUDIT_KEY']) {
      expect(settings.get(name), name).toMatch(/^'@Microsoft\.KeyVault\(SecretUri=\$\{\w+\.properties\.secretUri\}\)'$/);
    }
    expect([...settings.values()].filter((v) => /listKeys|relayKey\b|auditKey\b/.test(v))).toEqual([]);
  });

  it('are read with listKeys only into Key Vault secrets, and never output', () => {
    const listKeyLines = lines.map((l, i) => [l, i] as const).filter(([l]) => l.includes('listKeys('));
    expect(listKeyLines.length).toBeGreaterThan(0);
    for (const [, i] of listKeyLines) {
      const owner = lines
        .slice(0, i)
        .reverse()
        .find((l) => l.startsWith('resource ') || l.startsWith('output '));
      expect(owner).toMatch(/^resource \w+ 'Microsoft\.KeyVault\/vaults\/secrets@/);
    }
    expect(lines.filter((l) => l.startsWith('output ') && /relayKey\b|listKeys|primaryKey/.test(l))).toEqual([]);
  });

  it('let the identity read Key Vault and the tables, with shared keys turned off', () => {
    expect(bicep).toContain('enableRbacAuthorization: true');
    expect(bicep).toContain('allowSharedKeyAccess: false');
    expect(bicep).toContain('keyVaultReferenceIdentity: identity.id');
    expect(bicep).toMatch(/keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'/);
    expect(bicep).toMatch(/storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'/);
    expect(bicep).toMatch(/storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'/);
    expect(bicep).toMatch(/dependsOn: \[ tableRole, queueRole, vaultRole \]/);
  });
});

describe("the bot's app settings", () => {
  const settings = appSettings();

  it('run it as the user-assigned identity against the Azure store and relay', () => {
    expect(settings.get('MicrosoftAppType')).toBe("'UserAssignedMSI'");
    expect(settings.get('MicrosoftAppId')).toBe('identity.properties.clientId');
    expect(settings.get('AZURE_CLIENT_ID')).toBe('identity.properties.clientId');
    expect(settings.get('STORE_URL')).toMatch(/^'azure-tables:https:\/\/\$\{storage\.name\}\.table\./);
    expect(settings.get('QUEUE_URL')).toMatch(/^'azure-queues:https:\/\/\$\{storage\.name\}\.queue\./);
    expect(settings.get('WEBSITE_RUN_FROM_PACKAGE')).toBe("'1'");
    for (const name of [
      'MicrosoftAppTenantId',
      'GRAPH_BASE_URL',
      'RELAY_URL',
      'ADMIN_GROUP_ID',
      'AZURE_RELAY_KEY_NAME',
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
    ]) {
      expect(settings.has(name), name).toBe(true);
    }
  });

  it('are the only app settings in the template (one block to review)', () => {
    expect(bicep.split('appSettings:').length - 1).toBe(1);
    expect(bicep).toContain("linuxFxVersion: 'NODE|24-lts'");
    expect(bicep).toContain("healthCheckPath: '/healthz'");
  });
});

describe("the bot's Node flags", () => {
  it('are the same in production (appCommandLine), in `npm run bot` and in src/config/node-flags.ts', async () => {
    const { BOT_NODE_FLAGS } = await import('../../src/config/node-flags.ts');
    const command = /appCommandLine: '([^']*)'/.exec(bicep)?.[1];
    expect(command).toBe(['node', ...BOT_NODE_FLAGS, 'main.js'].join(' '));
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.bot).toBe(['node', ...BOT_NODE_FLAGS, 'src/main.ts'].join(' '));
  });

  it('come with the environment of src/config/node-flags.ts in production (app settings)', async () => {
    const { BOT_ENVIRONMENT } = await import('../../src/config/node-flags.ts');
    const settings = appSettings();
    expect(Object.keys(BOT_ENVIRONMENT).length).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(BOT_ENVIRONMENT)) expect(settings.get(name), name).toBe(`'${value}'`);
  });
});
