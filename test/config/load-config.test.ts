import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { loadRelayConfig } from '../../src/config/load-relay-config.ts';
import { ConfigError } from '../../src/errors/index.ts';

const KEY = 'r'.repeat(32);

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('loadConfig (bot)', () => {
  it('runs the sandbox with no configuration at all, with documented defaults', () => {
    const c = loadConfig({}, { sandbox: true });
    expect(c).toMatchObject({
      port: 3978,
      sandbox: true,
      graphBaseUrl: 'https://graph.microsoft.com',
      graphTimeoutMs: 20_000,
      botAuth: {},
    });
    expect(c.relay).toBeUndefined();
  });

  it('reads GRAPH_TIMEOUT_MS and refuses one that is not a positive whole number of ms', () => {
    expect(loadConfig({ GRAPH_TIMEOUT_MS: '5000' }, { sandbox: true }).graphTimeoutMs).toBe(5_000);
    for (const bad of ['0', '-1', 'soon', '2.5']) {
      expect(problems(() => loadConfig({ GRAPH_TIMEOUT_MS: bad }, { sandbox: true }))).toEqual([
        expect.stringMatching(/^GRAPH_TIMEOUT_MS:/),
      ]);
    }
  });

  it('reads SCAN_RETENTION_DAYS (default 30) and refuses one outside 1 to 3650 days', () => {
    expect(loadConfig({}, { sandbox: true }).approval.scanRetentionMs).toBe(30 * 86_400_000);
    expect(loadConfig({ SCAN_RETENTION_DAYS: '7' }, { sandbox: true }).approval.scanRetentionMs).toBe(7 * 86_400_000);
    for (const bad of ['0', '3651', 'a month', '1.5']) {
      expect(problems(() => loadConfig({ SCAN_RETENTION_DAYS: bad }, { sandbox: true }))).toEqual([
        expect.stringMatching(/^SCAN_RETENTION_DAYS:/),
      ]);
    }
  });

  it('is frozen all the way down', () => {
    const c = loadConfig({ RELAY_URL: 'http://relay:7443', RELAY_KEY: KEY }, { sandbox: true });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.relay)).toBe(true);
    expect(() => {
      (c as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('outside the sandbox requires a bot identity and its tenant, naming each variable', () => {
    expect(problems(() => loadConfig({}))).toEqual([
      expect.stringMatching(/^MicrosoftAppId: required outside the sandbox/),
      expect.stringMatching(/^MicrosoftAppType: required outside the sandbox/),
      expect.stringMatching(/^MicrosoftAppTenantId: required outside the sandbox/),
    ]);
  });

  it('outside the sandbox refuses to start without MicrosoftAppTenantId, whatever the app type (the tenant guard would be off)', () => {
    for (const type of ['UserAssignedMSI', 'SingleTenant', 'MultiTenant']) {
      const found = problems(() =>
        loadConfig({ MicrosoftAppId: '33333333-3333-3333-3333-333333333333', MicrosoftAppType: type, MicrosoftAppPassword: 'pw' }),
      );
      expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/^MicrosoftAppTenantId: required/)]));
    }
  });

  it('refuses MultiTenant (deprecated by Microsoft; a multi-tenant bot would serve every tenant), naming the accepted types', () => {
    const found = problems(() =>
      loadConfig({
        MicrosoftAppId: '33333333-3333-3333-3333-333333333333',
        MicrosoftAppType: 'MultiTenant',
        MicrosoftAppTenantId: '11111111-1111-1111-1111-111111111111',
        MicrosoftAppPassword: 'pw',
      }),
    );
    expect(found).toEqual([expect.stringMatching(/^MicrosoftAppType: must be UserAssignedMSI or SingleTenant.*MultiTenant/)]);
    expect(() => loadConfig({ MicrosoftAppId: 'a', MicrosoftAppType: 'MultiTenant' })).toThrow(ConfigError);
  });

  it('requires MicrosoftAppTenantId to be a tenant id (GUID), the form activities carry', () => {
    const found = problems(() =>
      loadConfig({
        MicrosoftAppId: '33333333-3333-3333-3333-333333333333',
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppTenantId: 'contoso.onmicrosoft.com',
      }),
    );
    expect(found).toEqual([expect.stringMatching(/^MicrosoftAppTenantId: must be the tenant id \(a GUID\)/)]);
  });

  it('names every problem at once', () => {
    const found = problems(() =>
      loadConfig({ PORT: 'eighty', RELAY_URL: 'ftp://x', RELAY_KEY: 'short', MicrosoftAppId: 'abc', GRAPH_BASE_URL: 'nope' }),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT: must be a port number/),
        expect.stringMatching(/^RELAY_URL: must be an http\(s\):\/\/ URL/),
        expect.stringMatching(/^RELAY_KEY: must be at least 32 characters/),
        expect.stringMatching(/^GRAPH_BASE_URL:/),
      ]),
    );
    expect(found.length).toBeGreaterThanOrEqual(4);
  });

  it('checks that paired variables come together', () => {
    expect(problems(() => loadConfig({ RELAY_URL: 'https://relay.contoso.com' }, { sandbox: true }))).toEqual([
      'RELAY_KEY: RELAY_URL and RELAY_KEY are set together',
    ]);
    expect(problems(() => loadConfig({ MicrosoftAppId: 'id', MicrosoftAppType: 'SingleTenant' }))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^MicrosoftAppTenantId:/), expect.stringMatching(/^MicrosoftAppPassword:/)]),
    );
    expect(problems(() => loadConfig({ AZURE_RELAY_KEY_NAME: 'listen' }, { sandbox: true }))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^AZURE_RELAY_KEY:/), expect.stringMatching(/^RELAY_URL:/)]),
    );
  });

  it('checks the AZURE_* credential variables DefaultAzureCredential reads, naming them', () => {
    const secret = 'az-Secret-value-123';
    expect(
      problems(() =>
        loadConfig(
          { AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: secret, AZURE_CLIENT_CERTIFICATE_PATH: '/etc/bot.pem' },
          { sandbox: true },
        ),
      ),
    ).toEqual(['AZURE_CLIENT_CERTIFICATE_PATH: set either AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH, not both']);
    expect(problems(() => loadConfig({ AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: secret }, { sandbox: true }))).toEqual([
      'AZURE_TENANT_ID: required with AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH: the Entra tenant id of the app registration',
    ]);
    expect(problems(() => loadConfig({ AZURE_TENANT_ID: 't', AZURE_CLIENT_SECRET: secret }, { sandbox: true }))).toEqual([
      'AZURE_CLIENT_ID: required with AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH: the client id of the app registration',
    ]);
    expect(
      problems(() =>
        loadConfig({ AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: secret, AZURE_CLIENT_CERTIFICATE_PATH: '/x.pem' }, { sandbox: true }),
      ),
    ).toHaveLength(2);
    const found = problems(() => loadConfig({ AZURE_CLIENT_SECRET: secret, AZURE_CLIENT_CERTIFICATE_PATH: '/x.pem' }, { sandbox: true }));
    expect(found.join('\n')).not.toContain(secret);
  });

  it('accepts each valid AZURE_* combination (or none: a managed identity)', () => {
    for (const env of [
      {},
      { AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 's' },
      { AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_CLIENT_CERTIFICATE_PATH: '/etc/bot.pem' },
      { AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c' },
      // A user-assigned managed identity: DefaultAzureCredential needs only its client id.
      { AZURE_CLIENT_ID: 'c' },
      { AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 's', AZURE_CLIENT_CERTIFICATE_PATH: '' },
    ]) {
      expect(problems(() => loadConfig(env, { sandbox: true }))).toEqual([]);
    }
  });

  it('treats empty values as unset and never puts a secret in a message', () => {
    const secret = 'S3cr3t-password-value';
    const found = problems(() => loadConfig({ MicrosoftAppId: '', MicrosoftAppPassword: secret, RELAY_KEY: secret }));
    expect(found.join('\n')).not.toContain(secret);
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/^MicrosoftAppId:/)]));
  });

  it('accepts a full production configuration', () => {
    const c = loadConfig({
      MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppTenantId: '00000000-0000-0000-0000-0000000000aa',
      RELAY_URL: 'https://contoso-relay.servicebus.windows.net/hardmatch',
      RELAY_KEY: KEY,
      AZURE_RELAY_KEY_NAME: 'send',
      AZURE_RELAY_KEY: 'azurekey',
      PORT: '8080',
    });
    expect(c).toMatchObject({ port: 8080, sandbox: false, tenantId: '00000000-0000-0000-0000-0000000000aa' });
    expect(c.relay).toEqual({
      url: 'https://contoso-relay.servicebus.windows.net/hardmatch',
      key: KEY,
      timeoutMs: 10_000,
      azureRelay: { keyName: 'send', key: 'azurekey' },
    });
  });
});

describe('loadRelayConfig (relay agent)', () => {
  const ldap = {
    RELAY_KEY: KEY,
    LDAP_URL: 'ldaps://dc1.contoso.com:636',
    LDAP_BIND_DN: 'CN=svc-hardmatch,OU=Service,DC=contoso,DC=com',
    LDAP_BIND_PASSWORD: 'pw',
    LDAP_BASE_DN: 'DC=contoso,DC=com',
  };

  it('reads an LDAP configuration with defaults', () => {
    const c = loadRelayConfig(ldap);
    expect(c).toMatchObject({ port: 7443, host: '127.0.0.1', sourceAnchor: 'auto' });
    expect(c.ldap).toMatchObject({ url: 'ldaps://dc1.contoso.com:636', connectTimeoutMs: 5000, timeoutMs: 10_000 });
    expect(c.syncCommand).toMatch(/Start-ADSyncSyncCycle -PolicyType Delta/);
    expect(c.fixturesDir).toBeUndefined();
  });

  it('needs a key and a directory, naming each missing variable', () => {
    expect(problems(() => loadRelayConfig({}))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^RELAY_KEY: required/),
        expect.stringMatching(/^LDAP_URL: required/),
        expect.stringMatching(/^LDAP_BIND_DN: required/),
        expect.stringMatching(/^LDAP_BIND_PASSWORD: required/),
        expect.stringMatching(/^LDAP_BASE_DN: required/),
      ]),
    );
  });

  it('refuses plain ldap:// (the bind password would cross the network in clear)', () => {
    expect(problems(() => loadRelayConfig({ ...ldap, LDAP_URL: 'ldap://dc1.contoso.com' }))).toEqual([
      'LDAP_URL: must use ldaps:// so the bind password and user data are encrypted',
    ]);
  });

  it('refuses an unknown SOURCE_ANCHOR and a half Azure Relay configuration', () => {
    const found = problems(() =>
      loadRelayConfig({ ...ldap, SOURCE_ANCHOR: 'employeeID', AZURE_RELAY_URL: 'https://ns.servicebus.windows.net/hc' }),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SOURCE_ANCHOR:/),
        expect.stringMatching(/^AZURE_RELAY_KEY_NAME: required/),
        expect.stringMatching(/^AZURE_RELAY_KEY: required/),
      ]),
    );
  });

  it('serves fixtures without LDAP settings', () => {
    const c = loadRelayConfig({ RELAY_KEY: KEY, RELAY_FIXTURES: './fixtures', RELAY_PORT: '0' });
    expect(c).toMatchObject({ fixturesDir: './fixtures', port: 0 });
    expect(c.ldap).toBeUndefined();
    expect(c.fixturesBaseDn).toBeUndefined();
  });

  it('bounds fixture look-ups by LDAP_BASE_DN when it is set with RELAY_FIXTURES', () => {
    const c = loadRelayConfig({ RELAY_KEY: KEY, RELAY_FIXTURES: './fixtures', LDAP_BASE_DN: 'OU=Staff,DC=contoso,DC=com' });
    expect(c.fixturesBaseDn).toBe('OU=Staff,DC=contoso,DC=com');
  });

  it('refuses an LDAP_BASE_DN that is not a DN, since it bounds every look-up', () => {
    for (const base of ['contoso.com', 'DC=contoso,,DC=com', 'OU=Staff,']) {
      expect(
        problems(() => loadRelayConfig({ ...ldap, LDAP_BASE_DN: base })),
        base,
      ).toEqual(['LDAP_BASE_DN: must be a DN like DC=contoso,DC=com or OU=Staff,DC=contoso,DC=com']);
    }
  });
});
