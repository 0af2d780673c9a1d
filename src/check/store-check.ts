/**
 * Check 4 of `hardmatch check`: the store STORE_URL names takes a write, gives it back, replaces it
 * from its current version, refuses a write from a stale version (the compare-and-swap two bot
 * instances rely on to never both execute one approval), and removes it again. The test record is a
 * setting under `hardmatch-check/`, so no approval request is ever touched.
 */
import { randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import type { RequestStore } from '../ports/request-store.ts';
import { StoreError } from '../errors/index.ts';
import { describeStore, openStore, parseStoreUrl, storeProblemOf, storeWordsOf, type StoreLocation } from '../store/index.ts';
import { bounded, failed, ok, type Outcome, type Report } from './report.ts';

export interface StoreCheckInput {
  storeUrl: string;
  credential: TokenCredential;
  timeoutMs: number;
}

function locationOf(storeUrl: string): StoreLocation | undefined {
  const parsed = parseStoreUrl(storeUrl);
  return parsed.ok ? parsed.location : undefined;
}

/** The storage's own words: what the SDK or SQLite said, not our wrapping of it. */
function wordsOf(err: unknown): string {
  return storeWordsOf(err instanceof StoreError && err.cause !== undefined ? err.cause : err);
}

function storeFailure(err: unknown, storeUrl: string, step: string): Outcome {
  const location = locationOf(storeUrl);
  const what = `could not ${step}: ${wordsOf(err)}`;
  if (location?.kind === 'sqlite') {
    return failed(
      what,
      `STORE_URL names the file ${location.path}: its folder must exist or be creatable, and writable by the bot's account (on App Service keep it under /home, which survives restarts); only one machine may use the file.`,
    );
  }
  const problem = storeProblemOf(err);
  if (problem?.kind === 'refused') {
    return failed(
      problem.status === undefined ? `${what} (${problem.reason ?? 'no token'})` : `${what} (HTTP ${problem.status})`,
      location?.target.kind === 'endpoint'
        ? "Give the bot's identity the role Storage Table Data Contributor on the storage account (infra/azure.bicep assigns it), and allow its network in the account's firewall."
        : 'The account key or SAS in STORE_URL is wrong or expired: copy a current connection string from the storage account (Access keys).',
    );
  }
  const code = problem?.reason;
  const where = location ? location.target.endpoint : 'the table endpoint';
  return failed(
    code ? `${what} (${code})` : what,
    `Check that ${where} is the storage account's table endpoint (STORE_URL), that the account exists, and that the bot's network reaches it (storage firewall, private endpoint).`,
  );
}

interface Step {
  name: string;
  run: (store: RequestStore, key: string, memo: Map<string, string>) => Promise<string | undefined>;
}

/** Each step answers undefined when it went as it must, or what went wrong. */
const STEPS: readonly Step[] = [
  {
    name: 'write a test record',
    run: async (store, key, memo) => {
      const written = await store.putSetting(key, { step: 1 });
      if (!written) return 'the store answered that the new test record already exists';
      memo.set('v1', written.version);
      return undefined;
    },
  },
  {
    name: 'read the test record back',
    run: async (store, key, memo) => {
      const read = await store.getSetting<{ step: number }>(key);
      return read?.value.step === 1 && read.version === memo.get('v1') ? undefined : 'the record read back differs from the one written';
    },
  },
  {
    name: 'replace the test record from its current version',
    run: async (store, key, memo) => {
      const replaced = await store.putSetting(key, { step: 2 }, memo.get('v1'));
      if (!replaced) return 'a write from the current version was refused';
      memo.set('v2', replaced.version);
      return undefined;
    },
  },
  {
    name: 'refuse a write from a stale version',
    run: async (store, key, memo) =>
      (await store.putSetting(key, { step: 3 }, memo.get('v1'))) === null
        ? undefined
        : 'a write from a stale version was accepted: two bot instances could both execute one approval',
  },
];

async function runSteps(store: RequestStore, storeUrl: string): Promise<Outcome> {
  const key = `hardmatch-check/${randomUUID()}`;
  const memo = new Map<string, string>();
  let outcome: Outcome | undefined;
  for (const step of STEPS) {
    try {
      const wrong = await step.run(store, key, memo);
      if (wrong)
        outcome = failed(
          `could not ${step.name}: ${wrong}.`,
          'Use a store that supports conditional writes: sqlite:<path> on one machine, or Azure Table Storage / Cosmos DB for Table.',
        );
    } catch (err) {
      outcome = storeFailure(err, storeUrl, step.name);
    }
    if (outcome) break;
  }
  // Clean up whatever was written, also after a failed step.
  const last = memo.get('v2') ?? memo.get('v1');
  if (last !== undefined) {
    try {
      if (!(await store.deleteSetting(key, last)) && !outcome)
        outcome = failed(
          'could not remove the test record: its version changed.',
          `Remove the setting ${key} by hand; nothing else uses it.`,
        );
    } catch (err) {
      outcome ??= storeFailure(err, storeUrl, 'remove the test record');
    }
  }
  return outcome ?? ok('wrote, read back and replaced a test record; a write from a stale version was refused; the record was removed.');
}

export async function storeSection(input: StoreCheckInput, report: Report): Promise<void> {
  report.section(`Store (${describeStore(input.storeUrl)})`);
  let store: RequestStore | undefined;
  try {
    const outcome = await bounded(input.timeoutMs, async () => {
      try {
        store = await openStore(input.storeUrl, { credential: input.credential });
      } catch (err) {
        return storeFailure(err, input.storeUrl, 'open the store');
      }
      return runSteps(store, input.storeUrl);
    });
    report.outcome(outcome);
  } catch (err) {
    report.outcome(storeFailure(err, input.storeUrl, 'finish the store check in time'));
  } finally {
    await store?.close().catch(() => undefined);
  }
}
