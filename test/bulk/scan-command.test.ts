/**
 * `scan` through /api/messages, as Teams sends it: the bulk card, the progress card replaced in
 * place, every refusal a user can reach, and the report link (admins only, expiring).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { allElements } from '../support/card-query.ts';
import { BASE_DN, bulkWorld, fakeOnPremSnapshot } from '../support/bulk-directory.ts';
import { ADMIN, SECOND, startBulkBot, VIEWER, type BulkBot } from './bulk-bot.ts';

const bots: BulkBot[] = [];
afterEach(async () => {
  for (const b of bots.splice(0)) await b.close();
});

async function start(...args: Parameters<typeof startBulkBot>): Promise<BulkBot> {
  const b = await startBulkBot(...args);
  bots.push(b);
  return b;
}

const texts = (card: unknown): string =>
  allElements(card)
    .map(
      (e) =>
        (typeof e.text === 'string' ? e.text : '') +
        (Array.isArray(e.facts) ? (e.facts as { title: string; value: string }[]).map((f) => `${f.title}=${f.value}`).join(';') : ''),
    )
    .join('\n');
const byId = (card: unknown, id: string) => allElements(card).find((e) => e.id === id);

describe('scan through /api/messages', () => {
  it('scans the whole sync scope: counts by outcome, top findings, first rows, the automated share', async () => {
    const world = bulkWorld(3);
    const b = await start(world, fakeOnPremSnapshot(world.ad, { pageSize: 5 }));
    const { card } = await b.client(ADMIN).say('scan');
    const words = texts(card);
    expect(words).toContain('the whole sync scope');
    expect(words).toContain('12 users scanned');
    expect(words).toContain('Already matched=3');
    expect(words).toContain('Needs a hard match=3');
    expect(words).toContain('Needs a purge first=3');
    expect(words).toContain('Not found=3');
    expect(words).toContain('6 users can be fixed by the bot alone: 3 purges (IRREVERSIBLE)');
    expect(words).toContain('ANCHOR_HELD_BY_DELETED_USER=3 users');
    expect(words).toMatch(/• purge1 → purge1@contoso.com/);
    expect(byId(card, 'action-download-report')).toMatchObject({ type: 'Action.Execute', verb: 'downloadReport' });
    const data = byId(card, 'action-download-report')?.data as Record<string, unknown>;
    expect(Object.keys(data).sort()).toEqual(['requestId', 'verb']);
  });

  it("scans one OU, and refuses an OU outside the base DN with the relay's words, storing no report", async () => {
    const world = bulkWorld(2);
    const b = await start(world, fakeOnPremSnapshot(world.ad));
    const ou = await b.client(ADMIN).say(`scan OU=Migrated,${BASE_DN}`);
    expect(texts(ou.card)).toContain('2 users scanned');
    expect(texts(ou.card)).toContain('Needs a hard match=2');
    const outside = await b.client(ADMIN).say('scan OU=Sales,DC=fabrikam,DC=com');
    expect(texts(outside.card)).toContain('is outside the relay');
    expect(byId(outside.card, 'action-download-report')).toBeUndefined();
  });

  it('scans a pasted list, reporting each unknown line and scanning the rest', async () => {
    const world = bulkWorld(2);
    const b = await start(world, fakeOnPremSnapshot(world.ad));
    const { card } = await b.client(ADMIN).say('scan\nhard1\nghost\npurge2@contoso.com\ntwo words');
    const words = texts(card);
    expect(words).toContain('a list of 4 users');
    expect(words).toContain('Needs a hard match=1');
    expect(words).toContain('Needs a purge first=1');
    expect(words).toContain('Lines that name no AD user (2)');
    expect(words).toContain('Line 2: No AD user in the relay\'s sync scope is "ghost".');
    expect(words).toMatch(/Line 4: .*spaces/);
  });

  it('refuses bad input before reading anything: a bad DN, an oversized list, a CSV in the wrong shape', async () => {
    const world = bulkWorld(1);
    const onPrem = fakeOnPremSnapshot(world.ad);
    const b = await start(world, onPrem);
    const admin = b.client(ADMIN);
    expect(texts((await admin.say('scan OU=Sales,DC=')).card)).toContain('is not a valid DN');
    const many = Array.from({ length: 5001 }, (_, i) => `u${i}`).join('\n');
    expect(texts((await admin.say(`scan\n${many}`)).card)).toMatch(/5,001 users; one scan takes at most 5,000/);
    expect(texts((await admin.say('scan\nname,department\njohn,sales')).card)).toContain('has no column of users');
    expect(onPrem.scopes).toEqual([]);
  });

  it('refuses a non-admin, and says who runs a scan of the same users already', async () => {
    const world = bulkWorld(2);
    const onPrem = fakeOnPremSnapshot(world.ad, { pageSize: 1, hold: true });
    const b = await start(world, onPrem, { answerWithinMs: 50 });
    const denied = await b.client(VIEWER).say('scan');
    expect(texts(denied.card)).toContain('Nina Nonadmin is not an admin');
    expect(onPrem.scopes).toEqual([]);
    const first = await b.client(ADMIN).say('scan');
    expect(byId(first.card, 'bulk-progress')).toBeDefined();
    const second = await b.client(SECOND).say('scan');
    expect(texts(second.card)).toMatch(/Adele Admin started scan [a-z0-9]{6} of the whole sync scope/);
    // Another scope is not held up by it.
    const other = await b.client(SECOND).say(`scan OU=New,${BASE_DN}`);
    expect(texts(other.card)).not.toContain('already running');
    onPrem.release();
    // The progress card is replaced in place with the result.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const update = b.connector.calls.find(
        (c) => c.method === 'PUT' && c.activityId === first.activityId && JSON.stringify(c.body).includes('users scanned'),
      );
      if (update) break;
      if (Date.now() > deadline) throw new Error('the progress card was never replaced by the result');
      await new Promise((r) => setTimeout(r, 20));
    }
    const puts = b.connector.calls.filter((c) => c.method === 'PUT' && c.activityId === first.activityId);
    expect(puts.length).toBeGreaterThan(0);
    await b.bot.approvals.idle();
  });

  it('gives an admin an expiring report link, refuses it to a non-admin, and serves the CSV only with a valid link', async () => {
    const world = bulkWorld(2);
    const b = await start(world, fakeOnPremSnapshot(world.ad));
    const { card } = await b.client(ADMIN).say('scan');
    const scanId = (byId(card, 'action-download-report')?.data as { requestId: string }).requestId;
    const denied = await b.client(VIEWER).invoke('downloadReport', { verb: 'downloadReport', requestId: scanId });
    expect(texts(denied.card)).toContain('is not an admin');
    const unknown = await b.client(ADMIN).invoke('downloadReport', { verb: 'downloadReport', requestId: 'zzzzzz' });
    expect(texts(unknown.card)).toContain('There is no scan "zzzzzz"');
    const answer = await b.client(SECOND).invoke('downloadReport', { verb: 'downloadReport', requestId: scanId });
    const open = byId(answer.card, 'action-open-report') as { url: string };
    expect(open.url).toMatch(new RegExp(`/bulk/${scanId}/report\\.csv\\?exp=\\d+&u=${SECOND.aadObjectId}&sig=`));
    const url = new URL(open.url);
    const res = await fetch(`${b.bot.url}${url.pathname}${url.search}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const csv = await res.text();
    expect(csv.split('\r\n').filter((l) => l !== '')).toHaveLength(1 + 8);
    expect(csv).toContain('hard1,hard1@contoso.com,"CN=hard1,OU=Migrated,DC=contoso,DC=com",hard1@contoso.com');
    const forged = new URLSearchParams(url.search);
    forged.set('u', ADMIN.aadObjectId);
    expect((await fetch(`${b.bot.url}${url.pathname}?${forged.toString()}`)).status).toBe(403);
    const late = new URLSearchParams(url.search);
    late.set('exp', '1');
    expect((await fetch(`${b.bot.url}${url.pathname}?${late.toString()}`)).status).toBe(403);
    expect((await fetch(`${b.bot.url}/bulk/zzzzzz/report.csv${url.search}`)).status).toBe(404);
  });
});

describe('scan with a CSV attached', () => {
  const FILE_INFO = 'application/vnd.microsoft.teams.file.download.info';
  const served =
    (body: string): typeof fetch =>
    () =>
      Promise.resolve(new Response(body, { status: 200 }));
  const attachment = (name: string, fileType = 'csv') => ({
    contentType: FILE_INFO,
    name,
    content: { downloadUrl: `https://contoso.sharepoint.com/personal/x/${name}?tempauth=t`, uniqueId: 'u', fileType },
  });

  it('reads the users column of the attached file (Teams file.download.info)', async () => {
    const world = bulkWorld(2);
    const b = await start(world, fakeOnPremSnapshot(world.ad), { fetch: served('Name,sAMAccountName\nOne,hard1\nTwo,nobody\n') });
    const before = b.connector.calls.length;
    await b.client(ADMIN).raw({ type: 'message', text: 'scan', attachments: [attachment('users.csv')] });
    const reply = await b.connector.waitForMessage(10_000, before);
    const words = texts((reply.body.attachments as { content: unknown }[])[0]?.content);
    expect(words).toContain('a list of 2 users (users.csv)');
    expect(words).toContain('Needs a hard match=1');
    expect(words).toContain('Line 3: No AD user');
  });

  it('refuses a file that is not a CSV, and a CSV with the wrong columns', async () => {
    const world = bulkWorld(1);
    const onPrem = fakeOnPremSnapshot(world.ad);
    const b = await start(world, onPrem, { fetch: served('Name,Department\nJohn,Sales\n') });
    let before = b.connector.calls.length;
    await b.client(ADMIN).raw({ type: 'message', text: 'scan', attachments: [attachment('users.xlsx', 'xlsx')] });
    let reply = await b.connector.waitForMessage(10_000, before);
    expect(texts((reply.body.attachments as { content: unknown }[])[0]?.content)).toContain('is not a CSV file');
    before = b.connector.calls.length;
    await b.client(ADMIN).raw({ type: 'message', text: 'scan', attachments: [attachment('people.csv')] });
    reply = await b.connector.waitForMessage(10_000, before);
    expect(texts((reply.body.attachments as { content: unknown }[])[0]?.content)).toContain('people.csv has no column of users');
    expect(onPrem.scopes).toEqual([]);
  });
});
