import { describe, expect, it } from 'vitest';
import { ApprovalRefused, DirectoryError, InputError, RelayUnavailable, toUserText } from '../../src/errors/index.ts';

describe('toUserText', () => {
  it('keeps the code, says what happened and what to do next', () => {
    const t = toUserText(new RelayUnavailable('RELAY_TIMEOUT', 'The relay did not answer within 10 s.'));
    expect(t.code).toBe('RELAY_TIMEOUT');
    expect(t.title).toMatch(/did not answer in time/);
    expect(t.text).toMatch(/^The relay did not answer within 10 s\. .*hardmatch-relay check/);
  });

  it('names the variables an admin must check for directory problems', () => {
    expect(toUserText(new DirectoryError('DIRECTORY_CREDENTIALS', 'Bind refused for CN=svc.')).text).toMatch(
      /LDAP_BIND_DN and LDAP_BIND_PASSWORD/,
    );
    expect(toUserText(new DirectoryError('DIRECTORY_TLS', 'Certificate not trusted.')).text).toMatch(/LDAP_CA_FILE/);
  });

  it('never shows the text of an unexpected error (it may hold internals)', () => {
    const t = toUserText(new Error('ECONNRESET at Socket.<anonymous> (/app/node_modules/x.js:1:1) password=hunter2'));
    expect(t.code).toBe('INTERNAL');
    expect(t.text).not.toMatch(/hunter2|node_modules|ECONNRESET/);
    expect(t.text).toMatch(/Nothing was changed/);
  });

  it('shows input errors with an example of what is accepted', () => {
    const t = toUserText(new InputError('ANCHOR_MALFORMED', '"abc" is not a valid anchor: too short.'));
    expect(t.text).toMatch(/g8Pclm4vok\+vFWtMERklmg==/);
  });

  it("words an approval refusal with the rule's own message, keeping the refusal code in details", () => {
    const err = new ApprovalRefused(
      { code: 'OWN_REQUEST', message: 'You requested r7k3q9 yourself; another admin must approve it.' },
      'r7k3q9',
    );
    expect(err.details).toEqual({ refusal: 'OWN_REQUEST', requestId: 'r7k3q9' });
    expect(err.refusal).toBe('OWN_REQUEST');
    const t = toUserText(err);
    expect(t.code).toBe('APPROVAL_REFUSED');
    expect(t.text).toMatch(/^You requested r7k3q9 yourself; another admin must approve it\. .*`status <request id>`/);
  });
});
