#!/usr/bin/env node
/** `npm run relay:sandbox`: `hardmatch-relay` from a source checkout, able to serve RELAY_FIXTURES as well as LDAP. */
import { runRelayCli } from '../relay/agent/run-cli.ts';
import { fixtureOpener } from './fixture-relay.ts';

process.exitCode = await runRelayCli(process.argv.slice(2), process.env, { openFixtures: fixtureOpener() });
