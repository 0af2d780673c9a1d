/**
 * The approval flow in a real browser: Adele's and Ben's Agents Playgrounds (one signed-in user per
 * window) in headless Chromium. Adele runs `match asmith` and requests approval with a
 * justification; Ben pulls the request with `status <id>`, approves, and his card ends showing every
 * step done and the verified join. Screenshots under test-results/.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger.ts';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/start-sandbox.ts';

const haveChromium = existsSync(CHROMIUM);
const onCi = process.env.CI === 'true';

async function shot(page: Page, name: string): Promise<void> {
  await mkdir('test-results', { recursive: true });
  await page.screenshot({ path: join('test-results', name) });
}

/** The compose box is a Lexical contenteditable: type real keys. */
async function send(page: Page, text: string): Promise<void> {
  const box = page.locator('div:has(> span:text-is("Type a message...")) [contenteditable="true"][role="textbox"]');
  await box.click({ timeout: 30_000 });
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

describe.skipIf(!haveChromium && !onCi)('approval in the Agents Playground', () => {
  let sandbox: RunningSandbox | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`${CHROMIUM} is missing; CI must install chromium`);
    sandbox = await startSandbox({
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, LOG_LEVEL: 'warn' },
      logger: createLogger({ level: 'warn' }),
      botPort: 0,
      playground: true,
      playgroundPort: 56170,
      engine: { pollIntervalMs: 200 },
    });
    if (!sandbox.playgroundUrls?.adele || !sandbox.playgroundUrls.ben)
      throw new Error(`the Agents Playgrounds ${sandbox.playgroundError ?? 'did not start'}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  it('requests as Adele, approves as Ben, and the card ends with every step done and the join verified', async () => {
    if (!browser || !sandbox?.playgroundUrls?.adele || !sandbox.playgroundUrls.ben) throw new Error('not started');
    const adele = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    await adele.goto(sandbox.playgroundUrls.adele);
    await send(adele, 'match asmith');
    const matchCard = adele.locator('.ac-adaptiveCard').filter({ hasText: 'ANCHOR_HELD_BY_DELETED_USER' }).last();
    await matchCard.waitFor({ state: 'visible', timeout: 30_000 });
    await matchCard.getByRole('button', { name: 'Request approval' }).click();
    await matchCard.getByPlaceholder(/Justification/).fill('Ticket 4711: asmith cannot sign in since the migration.');
    await matchCard.getByRole('button', { name: 'Send for approval' }).click();
    const requested = adele.locator('.ac-adaptiveCard').filter({ hasText: 'State: requested' }).last();
    try {
      await requested.waitFor({ state: 'visible', timeout: 30_000 });
    } finally {
      await shot(adele, 'playground-approval-requested.png');
    }
    const id = /Request ([a-z0-9]{6})/.exec(await requested.innerText())?.[1];
    expect(id).toMatch(/^[a-z][a-z0-9]{5}$/);

    const ben = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    await ben.goto(sandbox.playgroundUrls.ben);
    await send(ben, `status ${id ?? ''}`);
    const pulled = ben.locator('.ac-adaptiveCard').filter({ hasText: 'State: requested' }).last();
    await pulled.waitFor({ state: 'visible', timeout: 30_000 });
    await pulled.getByRole('button', { name: 'Approve' }).click();
    const done = ben.locator('.ac-adaptiveCard').filter({ hasText: 'State: done' }).last();
    try {
      await done.waitFor({ state: 'visible', timeout: 60_000 });
    } finally {
      await shot(ben, 'playground-approval-done.png');
    }
    const text = await done.innerText();
    expect(text).toContain('PURGE_DELETED_USER');
    expect(text).toContain('VERIFY_JOINED');
    expect(text).toMatch(/hash chain verified|chain verifies/i);
    expect((await sandbox.approvals.features.store.get(id ?? ''))?.value.state).toBe('done');
  });
});
