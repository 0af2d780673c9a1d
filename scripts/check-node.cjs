#!/usr/bin/env node
// The project's own postinstall, run by npm on the machine's Node (often 20) after every install.
// Every npm script runs on the Node 24 that the `node` devDependency puts in node_modules/.bin,
// and that package works only through its install script. npm 12 runs a dependency's install
// script only when package.json's `allowScripts` allows it; if it was skipped (or the project was
// installed with --ignore-scripts), `npm start` would silently run on the machine's Node and fail
// with a confusing error. This check makes the install itself fail, saying what to do.
// Plain CommonJS on purpose: it must run on whatever Node the machine has.
'use strict';
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const REQUIRED_MAJOR = 24;
const bin = join(__dirname, '..', 'node_modules', '.bin', process.platform === 'win32' ? 'node.cmd' : 'node');

function fail(why) {
  process.stderr.write(
    `\nhardmatch: ${why}\n` +
      `Every npm script runs on Node ${REQUIRED_MAJOR}, which the \`node\` devDependency installs through its install script.\n` +
      'Allow it (package.json "allowScripts" already lists it; check that your npm honours it: `npm install-scripts ls`),\n' +
      'do not install with --ignore-scripts, then run `npm install` again.\n\n',
  );
  process.exit(1);
}

if (process.env.npm_config_omit && process.env.npm_config_omit.includes('dev')) process.exit(0); // production install on the server: the host brings its Node
if (!existsSync(bin)) fail(`node_modules/.bin/node is missing: the \`node\` package's install script did not run.`);
let version;
try {
  version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
} catch (err) {
  fail(`node_modules/.bin/node does not run (${err.message.split('\n')[0]}).`);
}
const major = Number(/^v(\d+)\./.exec(version)?.[1]);
if (!(major >= REQUIRED_MAJOR)) fail(`node_modules/.bin/node is ${version}; Node ${REQUIRED_MAJOR} or later is needed.`);
