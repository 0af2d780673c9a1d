import {
  BusyError,
  InsufficientAccessError,
  InvalidCredentialsError,
  InvalidDNSyntaxError,
  NoSuchObjectError,
  StrongAuthRequiredError,
  TimeLimitExceededError,
} from 'ldapts';
import { describe, expect, it } from 'vitest';
import type { LdapConfig } from '../../../src/config/load-relay-config.ts';
import { DirectoryError } from '../../../src/errors/index.ts';
import { isConnectionLost, toDirectoryError } from '../../../src/relay/agent/ldap-errors.ts';

const config: LdapConfig = {
  url: 'ldaps://dc1.contoso.com:636',
  bindDn: 'CN=svc-hardmatch,OU=Service,DC=contoso,DC=com',
  bindPassword: 'S3cret-Bind-Pa55',
  baseDn: 'OU=Staff,DC=contoso,DC=com',
  caFile: '/etc/hardmatch/ca.pem',
  connectTimeoutMs: 5_000,
  timeoutMs: 10_000,
};

function nodeError(code: string, message = `${code} happened`): Error {
  return Object.assign(new Error(message), { code });
}

const AD_BAD_PASSWORD = '80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 52e, v1db1';

describe('toDirectoryError', () => {
  it.each([
    ['ENOTFOUND', 'DIRECTORY_DNS', 'dc1.contoso.com'],
    ['EAI_AGAIN', 'DIRECTORY_DNS', 'dc1.contoso.com'],
    ['ECONNREFUSED', 'DIRECTORY_UNREACHABLE', 'dc1.contoso.com:636'],
    ['EHOSTUNREACH', 'DIRECTORY_UNREACHABLE', 'dc1.contoso.com:636'],
    ['ECONNRESET', 'DIRECTORY_UNREACHABLE', 'dc1.contoso.com:636'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'DIRECTORY_TLS', '/etc/hardmatch/ca.pem'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'DIRECTORY_TLS', 'not trusted'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'DIRECTORY_TLS', 'not trusted'],
    ['CERT_HAS_EXPIRED', 'DIRECTORY_TLS', 'not trusted'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'DIRECTORY_TLS', 'does not name that host'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'DIRECTORY_TLS', 'dc1.contoso.com:636'],
    ['ETIMEDOUT', 'DIRECTORY_TIMEOUT', 'LDAP_TIMEOUT_MS'],
  ])('Node error %s → %s', (code, expected, mentions) => {
    const err = toDirectoryError(nodeError(code), config, 'search');
    expect(err).toBeInstanceOf(DirectoryError);
    expect(err.code).toBe(expected);
    expect(err.message).toContain(mentions);
    expect(err.details).toMatchObject({ server: 'dc1.contoso.com:636', baseDn: config.baseDn });
  });

  it("a refused bind is DIRECTORY_CREDENTIALS, naming the account and AD's reason", () => {
    const err = toDirectoryError(new InvalidCredentialsError(AD_BAD_PASSWORD), config, 'bind');
    expect(err.code).toBe('DIRECTORY_CREDENTIALS');
    expect(err.message).toBe(`dc1.contoso.com:636 refused the bind as ${config.bindDn}: the password is wrong.`);
    const locked = toDirectoryError(new InvalidCredentialsError(AD_BAD_PASSWORD.replace('52e', '775')), config, 'bind');
    expect(locked.message).toContain('locked out');
    const plain = toDirectoryError(new InvalidCredentialsError(), config, 'bind');
    expect(plain.message).toContain('wrong bind DN or password');
  });

  it('no such object on the search base is DIRECTORY_BASE_DN, naming the base DN', () => {
    for (const err of [new NoSuchObjectError('acl_read: Error retrieving instanceType for base.'), new InvalidDNSyntaxError()]) {
      const mapped = toDirectoryError(err, config, 'search');
      expect(mapped.code).toBe('DIRECTORY_BASE_DN');
      expect(mapped.message).toBe(`The search base ${config.baseDn} does not exist on dc1.contoso.com:636.`);
    }
  });

  it('timeouts: the connect timer names LDAP_CONNECT_TIMEOUT_MS, an operation LDAP_TIMEOUT_MS', () => {
    const connect = toDirectoryError(new Error('Connection timeout'), config, 'bind');
    expect(connect.code).toBe('DIRECTORY_TIMEOUT');
    expect(connect.message).toContain('5000 ms (LDAP_CONNECT_TIMEOUT_MS)');
    const search = toDirectoryError(new Error('SearchRequest: Operation timed out'), config, 'search');
    expect(search.code).toBe('DIRECTORY_TIMEOUT');
    expect(search.message).toContain('10000 ms (LDAP_TIMEOUT_MS)');
    expect(toDirectoryError(new TimeLimitExceededError(), config, 'search').code).toBe('DIRECTORY_TIMEOUT');
  });

  it('other server answers get a precise code where one fits, else DIRECTORY_FAILED with the reason', () => {
    expect(toDirectoryError(new StrongAuthRequiredError(), config, 'bind').code).toBe('DIRECTORY_TLS');
    expect(toDirectoryError(new BusyError(), config, 'search').code).toBe('DIRECTORY_UNREACHABLE');
    const access = toDirectoryError(new InsufficientAccessError(), config, 'search');
    expect(access).toMatchObject({ code: 'DIRECTORY_FAILED' });
    expect(access.message).toContain(config.bindDn);
    const odd = toDirectoryError(new Error('something odd'), config, 'search');
    expect(odd).toMatchObject({ code: 'DIRECTORY_FAILED', message: 'The search on dc1.contoso.com:636 failed: something odd' });
  });

  it('a connection lost under a request is DIRECTORY_UNREACHABLE', () => {
    const lost = new Error('Connection closed before message response was received. Message type: SearchRequest (0x63)');
    expect(isConnectionLost(lost)).toBe(true);
    expect(toDirectoryError(lost, config, 'search').code).toBe('DIRECTORY_UNREACHABLE');
    expect(isConnectionLost(new NoSuchObjectError())).toBe(false);
  });

  it('never shows the bind password, even when a library echoed it', () => {
    const err = toDirectoryError(new Error(`bind failed for password ${config.bindPassword}`), config, 'bind');
    expect(err.message).not.toContain(config.bindPassword);
    expect(err.message).toContain('[redacted]');
  });

  it('keeps the original error as cause and passes a DirectoryError through', () => {
    const original = nodeError('ECONNREFUSED');
    expect(toDirectoryError(original, config, 'bind').cause).toBe(original);
    const already = new DirectoryError('DIRECTORY_TLS', 'x');
    expect(toDirectoryError(already, config, 'search')).toBe(already);
  });

  it('without LDAP_CA_FILE, a TLS failure says only the system CAs were trusted', () => {
    const err = toDirectoryError(nodeError('UNABLE_TO_GET_ISSUER_CERT_LOCALLY'), { ...config, caFile: undefined }, 'bind');
    expect(err.message).toContain("the system's CAs (LDAP_CA_FILE is not set)");
  });
});
