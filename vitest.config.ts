import { defineConfig } from 'vitest/config';

// Two projects: fast pure/unit tests, and tests that start real services (Samba, servers).
// Integration files run one at a time because only one Samba can own ports 389/636.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.int.test.ts', 'test/**/*.e2e.test.ts'],
          // Property tests (fast-check, 100-500 runs) take ~1 s on an idle core and several
          // times that on a busy 2-core CI machine; 5 s (the default) failed them there.
          testTimeout: 15_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts', 'test/**/*.e2e.test.ts'],
          // One Samba AD DC for the whole run: tests read it with inject('samba').
          globalSetup: ['test/support/samba-global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
