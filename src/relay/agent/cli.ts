#!/usr/bin/env node
/** `hardmatch-relay`: the shipped relay agent's entry point (commands in run-cli.ts), the only place in the relay that reads process.env. */
import { runRelayCli } from './run-cli.ts';

process.exitCode = await runRelayCli(process.argv.slice(2), process.env);
