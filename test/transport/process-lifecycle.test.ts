import { describe, expect, it } from 'vitest';
import { ConfigError, RelayUnavailable } from '../../src/errors/index.ts';
import { describeStartupError } from '../../src/transport/process-lifecycle.ts';

describe('describeStartupError', () => {
  it('lists configuration problems without a stack', () => {
    const words = describeStartupError(new ConfigError(['MicrosoftAppId: required outside the sandbox']));
    expect(words).toBe('Hardmatch cannot start. Configuration is invalid:\n  - MicrosoftAppId: required outside the sandbox');
    expect(words).not.toMatch(/\n\s+at /);
  });

  it('names a busy port and what to do', () => {
    const err = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', port: 3978 });
    expect(describeStartupError(err)).toBe(
      'Hardmatch cannot start: port 3978 is already in use by another program. Stop it, or set PORT to a free port.',
    );
  });

  it('shows our coded errors with their code, and leaves unknown ones to be printed whole', () => {
    expect(describeStartupError(new RelayUnavailable('RELAY_UNAVAILABLE', 'Relay down.'))).toBe(
      'Hardmatch cannot start: Relay down. (RELAY_UNAVAILABLE)',
    );
    expect(describeStartupError(new TypeError('bug'))).toBeUndefined();
  });
});
