/**
 * How big the `match` card is for every sandbox scenario: the card JSON the bot sends (bytes,
 * against Teams' ~28 KB limit), its rendered height in the Agents Playground at 1280x800 in
 * headless Debian Chromium, whether its buttons (Request approval, Refresh; the `match <name>`
 * choices of an ambiguous name) end within the first screen of the chat pane, and how often the
 * most repeated DN and address appear in what the admin reads without expanding anything.
 * The sandbox runs as `npm start` runs it; the JSON is read as Teams would receive it (a recording
 * connector), the height from the Playground's own renderer.
 *
 *   npm run bench:card-size                      (prints a Markdown table)
 *   BENCH_OUT=test-results/card-size.md npm run bench:card-size   (also writes it there)
 *   BENCH_SHOTS=test-results/card-size npm run bench:card-size           (one screenshot per card)
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createLogger } from '../src/logging/logger.ts';
import { SANDBOX_PEOPLE } from '../src/sandbox/sandbox-users.ts';
import { startSandbox } from '../src/sandbox/start-sandbox.ts';
import { visibleText } from '../test/support/card-query.ts';
import { startRecordingConnector } from '../test/support/recording-connector.ts';
import { teamsClient } from '../test/support/teams-client.ts';
import { benchCases } from './support/cases.ts';
import { CHROMIUM } from '../test/support/chromium.ts';
import { openPlayground, VIEWPORT, type CardMeasure } from './support/playground-page.ts';

/** Teams refuses a message whose card is over about 28 KB. */
const TEAMS_LIMIT_BYTES = 28 * 1024;
const PLAYGROUND_PORT = Number(process.env.BENCH_PLAYGROUND_PORT ?? 56190);

interface Row {
  text: string;
  bytes: number;
  measure: CardMeasure;
  /** Most repeated DN / address: in what shows without expanding, and in the whole card (collapsed parts too). */
  dn: [shown: number, whole: number];
  address: [shown: number, whole: number];
}

/** How often the most frequent match of `pattern` occurs in `text`. */
function mostRepeated(text: string, pattern: RegExp): number {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(pattern)) counts.set(m[0].toLowerCase(), (counts.get(m[0].toLowerCase()) ?? 0) + 1);
  return Math.max(0, ...counts.values());
}

const DN = /CN=[^\n]*?DC=[A-Za-z0-9-]+(?:,DC=[A-Za-z0-9-]+)*/g;
const ADDRESS = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

function table(rows: readonly Row[]): string {
  const lines = [
    `| match | card JSON (bytes) | rendered height (px) | buttons end at (px) | on the first screen (${rows[0]?.measure.paneHeightPx ?? '?'} px) | DN × (shown / whole card) | address × (shown / whole card) |`,
    '|---|---:|---:|---:|---|---:|---:|',
  ];
  for (const r of rows) {
    const end = r.measure.buttonsEndPx;
    const first = end === undefined ? 'no buttons' : end <= r.measure.paneHeightPx ? 'yes' : 'no';
    lines.push(
      `| \`${r.text}\` | ${r.bytes.toLocaleString('en-US')} | ${r.measure.heightPx} | ${end ?? '—'} | ${first} | ${r.dn.join(' / ')} | ${r.address.join(' / ')} |`,
    );
  }
  const bytes = rows.map((r) => r.bytes);
  const heights = rows.map((r) => r.measure.heightPx);
  const onFirst = rows.filter((r) => r.measure.buttonsEndPx !== undefined && r.measure.buttonsEndPx <= r.measure.paneHeightPx).length;
  const withButtons = rows.filter((r) => r.measure.buttonsEndPx !== undefined).length;
  lines.push(
    '',
    `Largest card ${Math.max(...bytes).toLocaleString('en-US')} bytes (Teams' limit ${TEAMS_LIMIT_BYTES.toLocaleString('en-US')}); ` +
      `tallest ${Math.max(...heights)} px; buttons on the first screen in ${onFirst} of ${withButtons} cards that have buttons. ` +
      `Viewport ${VIEWPORT.width}x${VIEWPORT.height}, chat pane ${rows[0]?.measure.paneHeightPx ?? '?'} px.`,
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium`);
  const sandbox = await startSandbox({
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, LOG_LEVEL: 'warn' },
    logger: createLogger({ level: 'warn' }),
    botPort: 0,
    playground: true,
    playgroundPort: PLAYGROUND_PORT,
  });
  const connector = await startRecordingConnector();
  const shots = process.env.BENCH_SHOTS;
  try {
    if (!sandbox.playgroundUrl) throw new Error(`the Agents Playground ${sandbox.playgroundError ?? 'did not start'}`);
    const client = teamsClient({ botUrl: sandbox.botUrl, connector, tenantId: sandbox.tenantId, person: SANDBOX_PEOPLE.adele });
    const page = await openPlayground(sandbox.playgroundUrl);
    if (shots) await mkdir(shots, { recursive: true });
    const rows: Row[] = [];
    try {
      for (const benchCase of benchCases()) {
        const { card } = await client.say(benchCase.text);
        const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
        const rendered = await page.ask(benchCase.text);
        const measure = await page.measure(rendered);
        if (shots) await page.screenshot(join(shots, `${benchCase.text.replace(/[^A-Za-z0-9]+/g, '_')}.png`));
        const whole = visibleText(card);
        rows.push({
          text: benchCase.text,
          bytes,
          measure,
          dn: [mostRepeated(measure.visibleText, DN), mostRepeated(whole, DN)],
          address: [mostRepeated(measure.visibleText, ADDRESS), mostRepeated(whole, ADDRESS)],
        });
        process.stderr.write(`${benchCase.text}: ${bytes} bytes, ${measure.heightPx} px\n`);
      }
    } finally {
      await page.close();
    }
    const out = table(rows);
    console.log(out);
    const file = process.env.BENCH_OUT;
    if (file) {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, `${out}\n`);
    }
  } finally {
    await connector.close();
    await sandbox.close();
  }
}

await main();
