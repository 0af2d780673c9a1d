import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { createAzureTablesStore } from '../../src/store/azure-tables/index.ts';
import { startAzurite, type RunningAzurite } from '../support/azurite.ts';
import { describeAuditTrailOver } from './audit-trail-contract.ts';
import { describeStoreContract } from './contract.ts';

let azurite: RunningAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});

// Fresh tables for every test: a prefix of its own in the one Azurite account.
const freshPrefix = (): string => `t${randomUUID().replaceAll('-', '').slice(0, 12)}`;

describeStoreContract('azure-tables (Azurite)', () =>
  Promise.resolve(createAzureTablesStore(azurite.connectionString, { tablePrefix: freshPrefix() })),
);

describeAuditTrailOver('azure-tables (Azurite)', () =>
  Promise.resolve(createAzureTablesStore(azurite.connectionString, { tablePrefix: freshPrefix() })),
);
