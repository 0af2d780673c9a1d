/** The audit trail written with its change, over node:sqlite (the same suite runs over Azurite in azure-tables.int.test.ts). */
import { createSqliteStore } from '../../src/store/sqlite/index.ts';
import { describeAuditTrailOver } from './audit-trail-contract.ts';

describeAuditTrailOver('sqlite', () => Promise.resolve(createSqliteStore(':memory:')));
