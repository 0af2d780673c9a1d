/**
 * The request store failing under the bot, through /api/messages over the sandbox with STORE_URL on
 * Azurite: a wrong account key, and a storage account that stops answering between `match` and the
 * click. `match` still shows its diagnosis and says why approval cannot be requested; a card action
 * answers a card with the store's code and words; nothing is written to the cloud.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { DEV_ACCOUNT_KEY, devConnectionString, startAzurite, type RunningAzurite } from '../support/azurite.ts';
import { startFrozenServer, type FrozenServer } from '../support/frozen-server.ts';
import { allElements, visibleText } from '../support/card-query.ts';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.ts';
import { ADELE, clientFor, executeActions, flowSandbox, JUSTIFICATION, requestIdOf } from './flow-harness.ts';

let connector: RecordingConnector;
let sandbox: RunningSandbox | undefined;
let azurite: RunningAzurite | undefined;
let frozen: FrozenServer | undefined;

beforeAll(async () => {
  connector = await startRecordingConnector();
});
afterAll(() => connector.close());
afterEach(async () => {
  await sandbox?.close();
  await azurite?.stop();
  await frozen?.close();
  sandbox = undefined;
  frozen = undefined;
  azurite = undefined;
  connector.calls.length = 0;
});

/** What a person reads, with the markdown escapes (`STORE\\_REFUSED`) taken out. */
const readable = (card: unknown) => visibleText(card).replace(/\\([\\`*_[\]<>~&|])/g, '$1');

const writes = () => sandbox?.emulatorState.graphWrites().length;

describe('the request store failing under the bot', () => {
  it('a wrong account key: match shows the diagnosis and STORE_REFUSED instead of the approval buttons', async () => {
    azurite = await startAzurite();
    const wrongKey = Buffer.alloc(64, 9).toString('base64');
    sandbox = await flowSandbox({ STORE_URL: `azure-tables:${azurite.connectionString.replace(DEV_ACCOUNT_KEY, wrongKey)}` });
    const adele = clientFor(sandbox, connector, ADELE);
    const { card } = await adele.say('match asmith');
    const text = readable(card);
    // The diagnosis is all there: the finding and the plan.
    expect(text).toContain('ANCHOR_HELD_BY_DELETED_USER');
    expect(text).toContain('Approval cannot be requested now: The request store refused the bot');
    expect(text).toContain(
      `Azure Table Storage at http://127.0.0.1:${azurite.port}/devstoreaccount1, signed in with the connection string (key not shown) (HTTP 403 AuthorizationFailure)`,
    );
    expect(text).toContain('Code: STORE_REFUSED');
    expect(JSON.stringify(card)).not.toContain(wrongKey);
    expect(executeActions(card)).toEqual([]);
    expect(allElements(card).some((e) => e.type === 'Action.Submit' && String(e.title).startsWith('Run "match asmith" again'))).toBe(true);
    expect(writes()).toBe(0);
  });

  it('a storage account that stops answering: the click answers STORE_UNAVAILABLE and changes nothing', async () => {
    azurite = await startAzurite();
    sandbox = await flowSandbox({ STORE_URL: `azure-tables:${azurite.connectionString}` });
    const adele = clientFor(sandbox, connector, ADELE);
    const id = requestIdOf((await adele.say('match asmith')).card);
    await azurite.stop();
    const answer = await adele.invoke('requestApproval', { verb: 'requestApproval', requestId: id, justification: JUSTIFICATION });
    expect(answer.status).toBe(200);
    const text = readable(answer.card);
    expect(text).toContain('The request store could not be used');
    expect(text).toContain(`Azure Table Storage at http://127.0.0.1:${azurite.port}/devstoreaccount1`);
    expect(text).toContain('(ECONNREFUSED)');
    expect(text).toContain('Code: STORE_UNAVAILABLE');
    expect(text).not.toContain('Something went wrong inside Hardmatch');
    expect(writes()).toBe(0);
  });

  it('a storage account that accepts connections and never answers: match answers, within the time Teams waits, with STORE_UNAVAILABLE', async () => {
    frozen = await startFrozenServer();
    const port = Number(new URL(frozen.url).port);
    sandbox = await flowSandbox({ STORE_URL: `azure-tables:${devConnectionString(port)}` });
    const adele = clientFor(sandbox, connector, ADELE);
    // say() gives up after 15 s, the time Teams waits for a bot.
    const started = Date.now();
    const text = readable((await adele.say('match asmith')).card);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(text).toContain('ANCHOR_HELD_BY_DELETED_USER');
    expect(text).toContain(`Approval cannot be requested now: The request store could not be used`);
    expect(text).toContain(
      `Azure Table Storage at http://127.0.0.1:${port}/devstoreaccount1, signed in with the connection string (key not shown) (TIMEOUT): it did not answer within 5 s.`,
    );
    expect(text).toContain('Code: STORE_UNAVAILABLE');
    expect(frozen.connections()).toBeGreaterThan(0);
    expect(writes()).toBe(0);
  });
});
