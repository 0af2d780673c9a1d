/**
 * Bot Framework authentication with its failures sorted into two kinds, so the transport can
 * answer 401 (the token is not valid) or 503 (it could not be checked: the OpenID metadata or
 * signing keys were unreachable) without passing botbuilder's words, which name URLs, on.
 */
import type { Activity } from 'botbuilder';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { BotConfig } from '../config/load-config.ts';

/** Authentication failed; `cause` holds botbuilder's error for the log. */
export class BotAuthFailure extends Error {
  readonly kind: 'rejected' | 'unavailable';
  constructor(kind: BotAuthFailure['kind'], cause: unknown) {
    super(kind === 'rejected' ? 'Bot Framework token rejected' : 'Bot Framework token could not be checked', { cause });
    this.name = 'BotAuthFailure';
    this.kind = kind;
  }
}

/**
 * botbuilder throws node-fetch's FetchError when the metadata URL does not answer, and an
 * AuthenticationError with a 5xx status when it answers with an error; everything else it
 * throws is about the token, so it is a rejection (fail closed).
 */
function failureKind(err: unknown): BotAuthFailure['kind'] {
  const { name, statusCode } = (err ?? {}) as { name?: unknown; statusCode?: unknown };
  if (name === 'FetchError' || name === 'AbortError') return 'unavailable';
  return typeof statusCode === 'number' && statusCode >= 500 ? 'unavailable' : 'rejected';
}

class SortedAuthentication extends ConfigurationBotFrameworkAuthentication {
  override async authenticateRequest(activity: Activity, authHeader: string): ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (err) {
      throw new BotAuthFailure(failureKind(err), err);
    }
  }
}

/**
 * botbuilder's public-cloud endpoints (botframework-connector's AuthenticationConstants). Setting
 * any one endpoint makes botbuilder take all of them from configuration, so overriding the
 * metadata URL means giving the rest too.
 */
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: 'urn:botframework:azure',
} as const;

/**
 * `openIdMetadataUrl` replaces the channel's OpenID metadata URL (default botbuilder's,
 * https://login.botframework.com/v1/.well-known/openidconfiguration): a test hook.
 */
export function createBotAuthentication(botAuth: BotConfig['botAuth'], openIdMetadataUrl?: string): ConfigurationBotFrameworkAuthentication {
  // With no MicrosoftAppId botbuilder accepts anonymous requests; loadConfig only allows that in sandbox mode.
  if (!openIdMetadataUrl) return new SortedAuthentication(botAuth);
  return new SortedAuthentication({ ...botAuth, ...PUBLIC_CLOUD, ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl });
}
