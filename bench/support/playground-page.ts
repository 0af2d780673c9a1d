/**
 * One Agents Playground chat in headless Debian Chromium (platform.md), driven the way the e2e tests
 * drive it: type into the Lexical compose box, press Enter, wait for the bot's new card. `measure`
 * scrolls a card's top to the top of the chat pane and reports how tall it renders and where its
 * buttons end, relative to what the admin sees without scrolling.
 */
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../test/support/chromium.ts';

/** The size the issue names: the Playground at 1280x800. */
export const VIEWPORT = { width: 1280, height: 800 } as const;

const CARD = '.ac-adaptiveCard';
/** The card's own buttons: the top-level action bar (Request approval, Refresh) and body buttons. */
const BUTTON_NAMES = /^(Request approval|Refresh|match .+|Run "match .+" again)$/;

export interface CardMeasure {
  /** Rendered height of the card, px. */
  heightPx: number;
  /** Bottom of the card's last named button below the card's top, px; undefined when it has none. */
  buttonsEndPx: number | undefined;
  /** Height of the chat pane the card scrolls in: the first screen of a card scrolled to its top, px. */
  paneHeightPx: number;
  /** What a person reads without expanding anything (hidden toggles excluded). */
  visibleText: string;
}

export interface PlaygroundPage {
  /** Sends `text` and answers the bot's card that arrived after it. */
  ask(text: string, timeoutMs?: number): Promise<Locator>;
  measure(card: Locator): Promise<CardMeasure>;
  screenshot(path: string): Promise<void>;
  close(): Promise<void>;
}

export async function openPlayground(url: string): Promise<PlaygroundPage> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const page: Page = await browser.newPage({ viewport: VIEWPORT });
  await page.goto(url);
  const box = page.locator('div:has(> span:text-is("Type a message...")) [contenteditable="true"][role="textbox"]');
  await box.waitFor({ state: 'visible', timeout: 60_000 });
  // A welcome card (conversationUpdate) may still be arriving; let the chat settle before counting cards.
  await page.waitForTimeout(2_000);
  return {
    async ask(text, timeoutMs = 30_000) {
      const before = await page.locator(CARD).count();
      await box.click({ timeout: 30_000 });
      await page.keyboard.type(text);
      await page.keyboard.press('Enter');
      await page.waitForFunction(
        ({ selector, count }) => (globalThis as unknown as Browserish).document.querySelectorAll(selector).length > count,
        { selector: CARD, count: before },
        { timeout: timeoutMs },
      );
      // Several cards may belong to one reply; the newest is the answer.
      const card = page.locator(CARD).last();
      await card.waitFor({ state: 'visible' });
      await page.waitForTimeout(300);
      return card;
    },
    measure: measureCard,
    async screenshot(path) {
      await page.screenshot({ path });
    },
    async close() {
      await browser.close();
    },
  };
}

/** The few DOM members the page functions use (the project compiles without the DOM library). */
interface Rect {
  top: number;
  bottom: number;
  height: number;
}
interface Domish {
  parentElement: Domish | null;
  scrollHeight: number;
  clientHeight: number;
  innerText: string;
  textContent: string | null;
  getBoundingClientRect(): Rect;
  scrollIntoView(options: { block: 'start' }): void;
  querySelectorAll(selector: string): ArrayLike<Domish>;
  getAttribute(name: string): string | null;
}
interface Browserish {
  document: { querySelectorAll(selector: string): ArrayLike<Domish> };
  innerHeight: number;
  getComputedStyle(el: Domish): { overflowY: string };
}

async function measureCard(card: Locator): Promise<CardMeasure> {
  // Only top-level cards: a ShowCard's inner card is also an .ac-adaptiveCard but is collapsed here.
  return card.evaluate((node: unknown, names: string) => {
    const el = node as Domish;
    const win = globalThis as unknown as Browserish;
    const getComputedStyle = win.getComputedStyle.bind(win);
    const window = win;
    const pattern = new RegExp(names);
    let pane: Domish | null = el.parentElement;
    while (pane && !(pane.scrollHeight > pane.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(pane).overflowY)))
      pane = pane.parentElement;
    el.scrollIntoView({ block: 'start' });
    const top = el.getBoundingClientRect().top;
    const paneRect = pane ? pane.getBoundingClientRect() : { top: 0, bottom: window.innerHeight };
    const paneBottom = Math.min(paneRect.bottom, window.innerHeight);
    let end: number | undefined;
    for (const button of Array.from(el.querySelectorAll('button'))) {
      const name = (button.getAttribute('aria-label') ?? button.textContent ?? '').trim();
      const rect = button.getBoundingClientRect();
      if (!pattern.test(name) || rect.height === 0) continue;
      end = Math.max(end ?? 0, rect.bottom - top);
    }
    return {
      heightPx: Math.round(el.getBoundingClientRect().height),
      buttonsEndPx: end === undefined ? undefined : Math.round(end),
      paneHeightPx: Math.round(paneBottom - Math.max(paneRect.top, 0)),
      visibleText: el.innerText,
    };
  }, BUTTON_NAMES.source);
}
