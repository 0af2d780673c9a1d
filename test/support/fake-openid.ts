/**
 * A stand-in for the Bot Framework's token issuer: serves OpenID metadata and a signing key, and
 * mints channel tokens (RS256, issuer https://api.botframework.com) the way the Bot Connector
 * does, so a production-mode bot can be driven over HTTP with real authentication.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeOpenId {
  /** Give this to createServer's openIdMetadataUrl. */
  metadataUrl: string;
  /** A channel token for `appId` (aud) naming `serviceUrl`, signed with this issuer's key unless `key` says otherwise. */
  token(options: { appId: string; serviceUrl: string; key?: KeyObject; expiresInSeconds?: number }): string;
  close(): Promise<void>;
}

const KID = 'hardmatch-test-key';

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** `failWith`: answer the metadata request with this HTTP status instead (the issuer is down). */
export async function startFakeOpenId(options: { failWith?: number } = {}): Promise<FakeOpenId> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  let base = '';
  const server: Server = createServer((req, res) => {
    const routes: Record<string, unknown> = {
      '/v1/.well-known/openidconfiguration': { issuer: 'https://api.botframework.com', jwks_uri: `${base}/v1/keys` },
      '/v1/keys': { keys: [{ kty: 'RSA', use: 'sig', kid: KID, n: jwk.n, e: jwk.e }] },
    };
    const body = routes[req.url ?? ''];
    res.statusCode = options.failWith ?? (body ? 200 : 404);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(options.failWith ? { error: 'down' } : (body ?? {})));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    metadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    token: ({ appId, serviceUrl, key = privateKey, expiresInSeconds = 3600 }) => {
      const now = Math.floor(Date.now() / 1000);
      const signed = `${b64url({ alg: 'RS256', typ: 'JWT', kid: KID })}.${b64url({
        iss: 'https://api.botframework.com',
        aud: appId,
        serviceurl: serviceUrl,
        nbf: now - 60,
        iat: now - 60,
        exp: now + expiresInSeconds,
      })}`;
      return `${signed}.${sign('sha256', Buffer.from(signed), key).toString('base64url')}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on a port nothing listens on (bound, then released), for an unreachable issuer. */
export async function unreachableUrl(path: string): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}${path}`;
}

/** Another RSA key, for tokens the issuer did not sign. */
export function foreignKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}
