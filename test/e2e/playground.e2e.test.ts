/**
 * The chat experience in a real browser: the sandbox (Entra emulator seeded with the scenario
 * catalog, relay over fixtures, bot) with the Microsoft 365 Agents Playground, driven through
 * Debian Chromium. Skips loudly when Chromium is missing, except on CI, where a missing browser is
 * a failure.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAnchor, toImmutableId } from '../../src/domain/anchors.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { FIXTURES_DIR } from '../../src/sandbox/sandbox-relay.ts';
import { scenarioById } from '../../src/sandbox/scenarios/index.ts';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/start-sandbox.ts';

const SCREENSHOT = join('test-results', 'playground-guid.png');
const MATCH_SCREENSHOT = join('test-results', 'playground-match.png');
const haveChromium = existsSync(CHROMIUM);
const onCi = process.env.CI === 'true';

if (!haveChromium && !onCi) {
  console.warn(`\n*** SKIPPING the Playground end-to-end test: ${CHROMIUM} is missing (apt-get install chromium). ***\n`);
}

async function expectedImmutableId(sam: string): Promise<string> {
  const users = JSON.parse(await readFile(join(FIXTURES_DIR, 'users.json'), 'utf8')) as { samAccountName: string; objectGuid: string }[];
  const user = users.find((u) => u.samAccountName === sam);
  if (!user) throw new Error(`fixture user ${sam} not found`);
  return toImmutableId(parseAnchor(user.objectGuid));
}

/** Only what the child needs: a developer's own RELAY_URL or bot identity must not leak in. */
function sandboxEnv(): Record<string, string | undefined> {
  return { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, LOG_LEVEL: 'warn' };
}

describe.skipIf(!haveChromium && !onCi)('Agents Playground in Chromium', () => {
  let sandbox: RunningSandbox | undefined;
  let browser: Browser | undefined;
  let page: Page;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`${CHROMIUM} is missing; CI must install chromium (apt-get install -y chromium)`);
    sandbox = await startSandbox({ env: sandboxEnv(), logger: createLogger({ level: 'warn' }), botPort: 0, playground: true });
    if (!sandbox.playgroundUrl) throw new Error(`the Agents Playground ${sandbox.playgroundError ?? 'did not start'}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 1700 } });
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  /** The compose box is a Lexical contenteditable; "Type a message..." is a sibling span, not a
   * placeholder attribute, and Lexical only sees real key events (so type, do not fill). */
  async function send(text: string): Promise<void> {
    const box = page.locator('div:has(> span:text-is("Type a message...")) [contenteditable="true"][role="textbox"]');
    await box.click({ timeout: 30_000 });
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  }

  it('answers `guid jdoe` with a card showing jdoe’s ImmutableID', async () => {
    const expected = await expectedImmutableId('jdoe');
    await page.goto(sandbox?.playgroundUrl ?? '');
    await send('guid jdoe');
    const card = page.locator('.ac-adaptiveCard').filter({ hasText: expected }).last();
    try {
      await card.waitFor({ state: 'visible', timeout: 30_000 });
    } finally {
      await mkdir('test-results', { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
    }
    const cardText = await card.innerText();
    expect(cardText).toContain('SANDBOX');
    expect(cardText).toContain('CN=John Doe,OU=Staff,DC=contoso,DC=com');
    expect(cardText).toContain(expected);
    // Markdown escapes must be honoured by the renderer, not shown as stray backslashes.
    expect(cardText).not.toMatch(/\\[.\-@_[\]]/);
  });

  it('answers `match jdoe` with the diagnosis card: the findings the catalog expects and the plan', async () => {
    const expected = scenarioById('duplicate-after-sync').matches[0]?.findings ?? [];
    expect(expected).toContain('ANCHOR_HELD_BY_OTHER_USER');
    await send('match jdoe');
    const card = page.locator('.ac-adaptiveCard').filter({ hasText: 'ANCHOR_HELD_BY_OTHER_USER' }).last();
    try {
      await card.waitFor({ state: 'visible', timeout: 30_000 });
      // The card is taller than the window: show its findings, not its footer.
      await card.getByText('ANCHOR_HELD_BY_OTHER_USER').first().scrollIntoViewIfNeeded();
    } finally {
      await mkdir('test-results', { recursive: true });
      await page.screenshot({ path: MATCH_SCREENSHOT });
    }
    const cardText = await card.innerText();
    expect(cardText).toContain('SANDBOX');
    for (const code of expected) expect(cardText).toContain(code);
    expect(cardText).toContain('jdoe+4821@contoso.onmicrosoft.com');
    expect(cardText).toContain('IRREVERSIBLE');
    expect(cardText).not.toMatch(/\\[.\-@_[\]]/);
    expect(cardText).not.toContain('`');
    // The buttons come right after the plan; the evidence is one click away.
    await expect.poll(() => card.getByRole('button', { name: 'Request approval' }).isVisible()).toBe(true);
    const evidence = card.getByText('What to do:').first();
    expect(await evidence.isVisible()).toBe(false);
    await card.getByRole('button', { name: 'Evidence and what to do' }).click();
    await evidence.waitFor({ state: 'visible', timeout: 5_000 });
  });

  it('answers an ambiguous name with one button per AD user', async () => {
    await send('match shared@contoso.com');
    const choices = page.locator('.ac-adaptiveCard').filter({ hasText: 'AD users match' }).last();
    await choices.waitFor({ state: 'visible', timeout: 30_000 });
    // The Playground renders Action.Submit but sends nothing when it is clicked (checked here: no
    // activity in its log); Teams sends the messageBack, answered in test/bot/hardmatch-bot.test.ts.
    await choices.getByRole('button', { name: 'match share1' }).waitFor({ state: 'visible' });
    await choices.getByRole('button', { name: 'match share2' }).waitFor({ state: 'visible' });
  });

  it('shows <who> in help as typed, not swallowed as HTML, and no backticks', async () => {
    await send('help');
    const help = page.locator('.ac-adaptiveCard').filter({ hasText: 'Shows these commands' }).last();
    await help.waitFor({ state: 'visible', timeout: 30_000 });
    const text = await help.innerText();
    expect(text).toContain('guid <who>');
    expect(text).toContain('match <who> [to <cloud UPN or object id>]');
    expect(text).not.toContain('`');
    expect(text).not.toMatch(/\\[<>[\]]/);
  });
});
