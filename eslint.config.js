// Type-aware linting: a floating promise in a bot handler silently drops errors, so it is an error here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Paths of src's top-level folders/files, as imported from one and two floors down. */
const forbid = (names) => names.flatMap((n) => [`../${n}`, `../${n}/**`, `../../${n}`, `../../${n}/**`, `../../../${n}/**`]);
/** Everything in src except `allowed` (folder names), for a folder one floor down. */
const up = (self, allowed) => ['../*', '../*/**', ...[self, ...allowed].flatMap((n) => [`!../${n}`, `!../${n}/**`])];
const layer = (files, group, message) => [
  { files: [files], rules: { 'no-restricted-imports': ['error', { patterns: [{ group, message }] }] } },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', '.data/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through loadConfig(env) only.' },
      ],
    },
  },
  {
    files: ['src/main.ts', 'src/relay/agent/cli.ts', 'src/check/cli.ts', 'src/sandbox/**', 'test/**', 'bench/**', 'vitest.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  // The arrows point down, one rule per floor (top to bottom): transport > bot > cards >
  // approvals/execution/bulk > ports > domain > errors. Adapters (cloud-directory, store, relay,
  // queue) implement ports and import only ports, domain, errors, logging and config. Nothing
  // outside src/sandbox imports the stand-ins; the composition root (src/compose-*.ts) and
  // main.ts are the only places concrete adapters meet.
  ...layer(
    'src/domain/**',
    [
      'botbuilder*',
      'restify',
      '@microsoft/*',
      '@azure/*',
      'ldapts',
      'adaptivecards*',
      '../../*/**',
      '!../../domain/**',
      '!../../errors/**',
    ],
    'src/domain is pure: it imports only src/domain and src/errors.',
  ),
  ...layer(
    'src/ports/**',
    ['botbuilder*', 'restify', '@azure/*', 'ldapts', '@microsoft/microsoft-graph-client', ...up('ports', ['domain', 'errors'])],
    'src/ports holds interfaces: it imports only src/domain and src/errors.',
  ),
  ...layer(
    'src/{approvals,execution,bulk}/**',
    [
      'botbuilder*',
      'restify',
      'ldapts',
      '@azure/data-tables',
      '@azure/storage-queue',
      '@microsoft/microsoft-graph-client',
      ...forbid(['bot', 'transport', 'cards', 'store', 'cloud-directory', 'relay', 'queue', 'check', 'sandbox', 'compose-*.ts', 'main.ts']),
    ],
    'Approvals, execution and bulk reach the outside world only through src/ports.',
  ),
  ...layer(
    'src/concurrency/**',
    ['botbuilder*', 'restify', '@azure/*', 'ldapts', ...up('concurrency', ['ports', 'domain', 'errors'])],
    'src/concurrency holds the compare-and-swap loop and the per-key queue: it imports only src/ports, src/domain and src/errors.',
  ),
  ...layer(
    'src/cards/**',
    [
      'botbuilder*',
      'restify',
      '@azure/*',
      'ldapts',
      ...forbid([
        'bot',
        'transport',
        'store',
        'cloud-directory',
        'relay',
        'queue',
        'check',
        'sandbox',
        'approvals',
        'execution',
        'bulk',
        'compose-*.ts',
        'main.ts',
      ]),
    ],
    'Cards are pure functions of domain data.',
  ),
  ...layer(
    'src/{cloud-directory,store,queue}/**',
    [
      'botbuilder*',
      'restify',
      'ldapts',
      ...forbid(['bot', 'transport', 'cards', 'approvals', 'execution', 'bulk', 'relay', 'check', 'sandbox', 'compose-*.ts', 'main.ts']),
    ],
    'An adapter implements ports; it never reaches up into the bot or across to another adapter.',
  ),
  ...layer(
    'src/relay/**',
    [
      'botbuilder*',
      'restify',
      '@microsoft/*',
      ...forbid([
        'bot',
        'transport',
        'cards',
        'approvals',
        'execution',
        'bulk',
        'store',
        'cloud-directory',
        'queue',
        'check',
        'sandbox',
        'compose-*.ts',
        'main.ts',
      ]),
    ],
    'The relay (protocol, client, agent) stands alone: it imports only ports, domain, errors, logging and config.',
  ),
  ...layer(
    'src/bot/**',
    ['restify', ...forbid(['transport', 'store', 'cloud-directory', 'relay', 'queue', 'check', 'sandbox', 'compose-*.ts', 'main.ts'])],
    'The bot talks to the outside world through src/ports; the HTTP edge (src/transport) sits above it.',
  ),
  ...layer(
    'src/{transport,check,logging,errors}/**',
    ['../sandbox/**', '../../sandbox/**', '**/compose-*.ts', '**/main.ts'],
    'Nothing outside src/sandbox imports the stand-ins, and nothing imports the composition roots.',
  ),
  // The relay (client and agent) reads its configuration types from src/config, so src/config never imports the relay.
  ...layer(
    'src/config/**',
    [...forbid(['relay', 'bot', 'transport', 'cards', 'approvals', 'execution', 'bulk', 'check', 'sandbox', 'compose-*.ts', 'main.ts'])],
    "Configuration sits below the relay and the bot: it imports only domain, errors and the adapters' own defaults.",
  ),
  ...layer(
    'src/{compose-*,main}.ts',
    ['./sandbox/**'],
    'The product composition never imports the stand-ins: the sandbox wraps or injects them.',
  ),
  {
    // The postinstall runs on whatever Node the machine has, before Node 24 is there: plain CommonJS.
    files: ['scripts/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'commonjs',
      globals: { require: 'readonly', process: 'readonly', __dirname: 'readonly' },
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      '@typescript-eslint/no-require-imports': 'off',
      'no-restricted-properties': 'off',
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
