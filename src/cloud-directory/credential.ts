/**
 * Token credentials as the Graph client uses them: a fixed token for the sandbox, tests and the
 * bench, and a guard around any credential so that a sign-in failure can be told apart from a
 * network failure. The Graph SDK turns every other error into a `GraphError` with status -1, but
 * passes a `GraphClientError` through untouched; the guard throws one and remembers it.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { GraphClientError } from '@microsoft/microsoft-graph-client';

/** A credential that always hands out `token` (the emulator accepts any non-empty token). */
export function staticTokenCredential(token: string): TokenCredential {
  if (token.trim() === '') throw new TypeError('staticTokenCredential needs a non-empty token.');
  const accessToken: AccessToken = { token, expiresOnTimestamp: Number.MAX_SAFE_INTEGER, tokenType: 'Bearer' };
  return { getToken: () => Promise.resolve(accessToken) };
}

const credentialFailures = new WeakSet<Error>();

/** Whether an error thrown out of a Graph call is a credential that could not produce a token. */
export function isCredentialFailure(err: unknown): err is GraphClientError {
  return err instanceof Error && credentialFailures.has(err);
}

/**
 * Wrap a credential so its failures (and a missing token) surface as marked GraphClientErrors.
 * The message is the credential's own (it names what to configure) and never holds a token.
 */
export function guardCredential(inner: TokenCredential): TokenCredential {
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      let token: AccessToken | null;
      try {
        token = await inner.getToken(scopes, options);
      } catch (err) {
        throw credentialFailure(`${errorName(err)}: ${err instanceof Error ? err.message : String(err)}`, err);
      }
      if (!token?.token) throw credentialFailure('the credential returned no access token', undefined);
      return token;
    },
  };
}

function credentialFailure(message: string, cause: unknown): GraphClientError {
  const error = new GraphClientError(message);
  error.name = 'CredentialFailure';
  if (cause !== undefined) error.customError = cause;
  credentialFailures.add(error);
  return error;
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : 'Error';
}
