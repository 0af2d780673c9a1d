/**
 * A second process for the sqlite sharing test: for each stdin line `<requestId> <version> <round>`
 * it tries one CAS update and one audit append with seq = round, and prints `win|lose|error:<msg>`
 * for each on one line.
 */
import { createInterface } from 'node:readline';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';
import { auditEntry } from './fixtures.ts';

const [, , file, name] = process.argv;
const store = createSqliteStore(file ?? '');
const outcome = async (attempt: () => Promise<unknown>): Promise<string> => {
  try {
    const result = await attempt();
    return result === null || result === false ? 'lose' : 'win';
  } catch (err) {
    return `error:${(err as Error).message.replaceAll(' ', '_')}`;
  }
};
for await (const line of createInterface({ input: process.stdin })) {
  const [id = '', version = '', round = '0'] = line.split(' ');
  const current = await store.get(id);
  const next = { ...(current?.value ?? ({} as never)), justification: `${name} round ${round}` };
  const update = await outcome(() => store.update(next, version));
  const append = await outcome(() => store.appendAudit(auditEntry(id, Number(round), { summary: `${name}` })));
  process.stdout.write(`${update} ${append}\n`);
}
await store.close();
