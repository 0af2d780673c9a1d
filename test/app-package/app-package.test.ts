import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ManifestUtil, type TeamsAppManifest } from '@microsoft/app-manifest';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAppPackage, fillPlaceholders, PlaceholderError } from '../../scripts/build-app-package.ts';

/** The command words of product.md; the command menu may name only these. */
const PRODUCT_COMMANDS = ['help', 'guid', 'match', 'status', 'cancel', 'audit', 'approvals', 'undo'];
const ENV = {
  TEAMS_APP_ID: '3c5e9a1b-7f2d-4e8a-9b6c-1d2e3f4a5b6c',
  BOT_ID: '8f7e6d5c-4b3a-4291-8f0e-1d2c3b4a5968',
  BOT_DOMAIN: 'hardmatch-dev-abc123.azurewebsites.net',
};

let dir: string;
let zip: Record<string, Uint8Array>;
let manifest: TeamsAppManifest;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hardmatch-app-package-'));
  const envFile = join(dir, '.env.test');
  await writeFile(
    envFile,
    Object.entries(ENV)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  );
  const { outFile } = await buildAppPackage({ envFile, appPackageDir: 'appPackage', outFile: join(dir, 'build', 'hardmatch.zip') });
  zip = unzipSync(await readFile(outFile));
  manifest = JSON.parse(new TextDecoder().decode(zip['manifest.json'])) as TeamsAppManifest;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function publishedSchema(version: string): Promise<object> {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const file = join(root, 'build', 'json-schemas', 'teams', `v${version}`, 'MicrosoftTeams.schema.json');
  // Some of Microsoft's schema files carry a "\a" escape that JSON.parse refuses; it stands for "a".
  return JSON.parse((await readFile(file, 'utf8')).replace(/(?<!\\)\\a/g, 'a')) as object;
}

describe('the Teams app package', () => {
  it('holds exactly manifest.json and the two icons, at the root', () => {
    expect(Object.keys(zip).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  it('is valid against the published schema of its manifest version', async () => {
    expect(Number(manifest.manifestVersion)).toBeGreaterThanOrEqual(1.19);
    expect(manifest.$schema).toContain(`/v${manifest.manifestVersion}/`);
    const errors = await ManifestUtil.validateManifestAgainstSchema(manifest, (await publishedSchema(manifest.manifestVersion)) as never);
    expect(errors).toEqual([]);
    // The schema is no rubber stamp: the old 81-character short description is refused.
    const tooLong = { ...manifest, description: { ...manifest.description, short: 'x'.repeat(81) } };
    expect(
      await ManifestUtil.validateManifestAgainstSchema(tooLong, (await publishedSchema(manifest.manifestVersion)) as never),
    ).not.toEqual([]);
  });

  it('has every placeholder filled from the env file', () => {
    expect(new TextDecoder().decode(zip['manifest.json'])).not.toContain('${{');
    expect(manifest.id).toBe(ENV.TEAMS_APP_ID);
    expect(manifest.bots?.[0]?.botId).toBe(ENV.BOT_ID);
    expect(manifest.validDomains).toEqual([ENV.BOT_DOMAIN]);
  });

  it("fits Teams' description limits (the upload is refused past them)", () => {
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full?.length).toBeLessThanOrEqual(4000);
  });

  it('installs the bot in personal chats, group chats and teams, and asks for no SSO', () => {
    expect(manifest.bots).toHaveLength(1);
    expect([...(manifest.bots?.[0]?.scopes ?? [])].sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(manifest).not.toHaveProperty('webApplicationInfo');
  });

  it("names only the product's commands in the command menu, each once", () => {
    const titles = (manifest.bots?.[0]?.commandLists ?? []).flatMap((list) => list.commands.map((c) => c.title));
    expect(titles.slice(0, 3)).toEqual(['help', 'guid', 'match']);
    expect(titles.filter((t) => !PRODUCT_COMMANDS.includes(t))).toEqual([]);
    expect(new Set(titles).size).toBe(titles.length);
  });
});

describe('fillPlaceholders', () => {
  it('names every unset or empty placeholder, and the file it looked in', () => {
    const run = (): string =>
      fillPlaceholders('{"a":"${{TEAMS_APP_ID}}","b":"${{BOT_ID}}","c":"${{BOT_ID}}"}', { TEAMS_APP_ID: '' }, 'env/.env.dev');
    expect(run).toThrow(PlaceholderError);
    expect(run).toThrow(/\$\{\{TEAMS_APP_ID\}\}, \$\{\{BOT_ID\}\}, not set in env\/\.env\.dev/);
  });

  it('keeps the manifest valid JSON whatever a value holds', () => {
    const filled = fillPlaceholders('{"name":"${{ NAME }}"}', { NAME: 'a "quoted" \\ name' }, 'x');
    expect(JSON.parse(filled)).toEqual({ name: 'a "quoted" \\ name' });
  });

  it('fails for the committed dev environment until provision has written its ids', async () => {
    await expect(buildAppPackage({ envFile: 'env/.env.dev', appPackageDir: 'appPackage', outFile: join(dir, 'dev.zip') })).rejects.toThrow(
      /TEAMS_APP_ID.*BOT_ID.*BOT_DOMAIN/,
    );
  });
});
