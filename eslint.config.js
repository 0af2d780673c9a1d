// Type-aware linting: a floating promise in a bot handler silently drops errors, so it is an error here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    files: ['src/main.ts', 'src/relay-agent/cli.ts', 'src/check/cli.ts', 'src/sandbox/**', 'test/**', 'bench/**', 'vitest.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  // The arrows point down: the domain is pure, ports are interfaces, and the approval flow and
  // the engine reach the outside world only through ports.
  {
    files: ['src/domain/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['botbuilder*', 'restify', '@microsoft/*', '@azure/*', 'ldapts', '../../*/**', '!../../domain/**', '!../../errors/**'], message: 'src/domain is pure: it imports only src/domain and src/errors.' }] }],
    },
  },
  {
    files: ['src/ports/**', 'src/approvals/**', 'src/execution/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['botbuilder*', 'restify', '@microsoft/microsoft-graph-client', 'ldapts', '@azure/data-tables', '**/bot/teams/**', '**/transport/**', '**/store/sqlite/**', '**/store/azure-tables/**', '**/emulator/**', '**/sandbox/**'], message: 'Approvals, execution and ports reach the outside world only through src/ports.' }] }],
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
