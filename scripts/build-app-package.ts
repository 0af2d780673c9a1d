/**
 * Builds the Teams app package (manifest.json with its ${{VAR}} placeholders filled from one env
 * file, plus the two icons) as a zip, the way the Agents Toolkit's teamsApp/zipAppPackage does, so
 * the package can be built without the toolkit (`npm run package`).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse } from 'dotenv';
import { zipSync } from 'fflate';

/** The files of the package, as named in manifest.json's icons. */
const ICONS = ['color.png', 'outline.png'] as const;
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export interface BuildAppPackageOptions {
  /** The env file the placeholders come from, e.g. env/.env.dev. */
  envFile: string;
  /** Folder holding manifest.json and the icons. */
  appPackageDir: string;
  /** Where the zip is written (its folder is created). */
  outFile: string;
}

export class PlaceholderError extends Error {
  readonly unset: readonly string[];

  constructor(unset: readonly string[], source: string) {
    super(
      `appPackage/manifest.json uses ${unset.map((n) => `\${{${n}}}`).join(', ')}, not set in ${source}. ` +
        'Run `atk provision --env <name>` (it writes them), or set them in that file.',
    );
    this.name = 'PlaceholderError';
    this.unset = unset;
  }
}

/** Replaces every ${{NAME}}; an unset or empty NAME fails, naming all of them at once. */
export function fillPlaceholders(template: string, values: Readonly<Record<string, string>>, source: string): string {
  const unset = new Set<string>();
  const filled = template.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') {
      unset.add(name);
      return '';
    }
    // The manifest is JSON: a value must not be able to end the string it is placed in.
    return JSON.stringify(value).slice(1, -1);
  });
  if (unset.size > 0) throw new PlaceholderError([...unset], source);
  return filled;
}

export async function buildAppPackage(options: BuildAppPackageOptions): Promise<{ outFile: string; manifest: unknown }> {
  const values = parse(await readFile(options.envFile, 'utf8'));
  const template = await readFile(join(options.appPackageDir, 'manifest.json'), 'utf8');
  const manifestText = fillPlaceholders(template, values, options.envFile);
  const manifest: unknown = JSON.parse(manifestText);
  const files: Record<string, Uint8Array> = { 'manifest.json': new TextEncoder().encode(manifestText) };
  for (const icon of ICONS) files[icon] = await readFile(join(options.appPackageDir, icon));
  await mkdir(dirname(options.outFile), { recursive: true });
  await writeFile(options.outFile, zipSync(files, { level: 9 }));
  return { outFile: options.outFile, manifest };
}
