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

type AuthenticateRequestResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;
type ConnectorFactory = AuthenticateRequestResult['connectorFactory'] & {};
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type ClaimsIdentity = AuthenticateRequestResult['claimsIdentity'];
type UserTokenClient = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['createUserTokenClient']>>;

/** Clients kept per kind: one per (bot identity, audience, serviceUrl); Teams uses a handful of serviceUrls. */
export const CLIENTS_KEPT = 16;

/** The app id botbuilder makes a turn's clients for: the token's audience, else its appid claim. */
function appIdOf(identity: ClaimsIdentity): string {
  return identity.getClaimValue('aud') ?? identity.getClaimValue('appid') ?? '';
}

/** The client kept under `key`, or a new one from `make`; the oldest is dropped past CLIENTS_KEPT, a failed creation is not kept. */
function kept<T>(clients: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  const known = clients.get(key);
  if (known) return known;
  const created = make();
  if (clients.size >= CLIENTS_KEPT) {
    const oldest = clients.keys().next();
    if (!oldest.done) clients.delete(oldest.value);
  }
  clients.set(key, created);
  created.catch(() => {
    if (clients.get(key) === created) clients.delete(key);
  });
  return created;
}

/** What a ConnectorClient's HTTP pipeline (core-rest-pipeline, under botbuilder's compat client) lets us change. */
interface Pipeline {
  removePolicy(options: { name: string }): unknown[];
  addPolicy(policy: {
    name: string;
    sendRequest(
      request: { headers: { has(name: string): boolean; set(name: string, value: string): void } },
      next: (request: never) => Promise<unknown>,
    ): Promise<unknown>;
  }): void;
}

/** The policy botbuilder's connector factory adds (it only sets `accept: *\/*` when absent), by its compat name. */
const COMPAT_POLICIES = 'ServiceClientContext_RequestPolicyFactories';

/**
 * botbuilder's connector factory adds one policy, `accept: *\/*` when no accept header is set,
 * through the compat layer for old-style policy factories, which converts the whole request to
 * the old shape and back on every call (a few tenths of a millisecond per reply). The same rule
 * as a native policy; a client of another shape is left as botbuilder made it.
 */
export function withNativeAcceptPolicy<T>(client: T): T {
  const pipeline = (client as { client?: { pipeline?: Partial<Pipeline> } }).client?.pipeline;
  if (typeof pipeline?.removePolicy !== 'function' || typeof pipeline.addPolicy !== 'function') return client;
  if (pipeline.removePolicy({ name: COMPAT_POLICIES }).length === 0) return client;
  pipeline.addPolicy({
    name: 'hardmatchAcceptHeader',
    sendRequest: (request, next) => {
      if (!request.headers.has('accept')) request.headers.set('accept', '*/*');
      return next(request as never);
    },
  });
  return client;
}

/**
 * botbuilder builds a ConnectorClient and a UserTokenClient (credentials and a dozen-policy HTTP
 * pipeline each) for every turn before the bot runs: most of a millisecond on every reply's path
 * on a busy host. A client depends only on the bot identity the token names, the audience and the
 * serviceUrl, and its credentials fetch and renew their own tokens, so one is kept per such key,
 * as botbuilder's BotFrameworkAdapter did with its connector clients.
 */
class SortedAuthentication extends ConfigurationBotFrameworkAuthentication {
  readonly #connectors = new Map<string, Promise<ConnectorClient>>();
  readonly #userTokens = new Map<string, Promise<UserTokenClient>>();

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    let result: AuthenticateRequestResult;
    try {
      result = await super.authenticateRequest(activity, authHeader);
    } catch (err) {
      throw new BotAuthFailure(failureKind(err), err);
    }
    const inner = result.connectorFactory;
    if (!inner) return result;
    const appId = appIdOf(result.claimsIdentity);
    const connectorFactory: ConnectorFactory = {
      create: (serviceUrl, audience) =>
        kept(this.#connectors, [appId, audience ?? '', serviceUrl].join('\n'), () =>
          inner.create(serviceUrl, audience).then(withNativeAcceptPolicy),
        ),
    };
    return { ...result, connectorFactory };
  }

  override createUserTokenClient(identity: ClaimsIdentity): Promise<UserTokenClient> {
    return kept(this.#userTokens, appIdOf(identity), () => super.createUserTokenClient(identity));
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
export function createBotAuthentication(
  botAuth: BotConfig['botAuth'],
  openIdMetadataUrl?: string,
): ConfigurationBotFrameworkAuthentication {
  // With no MicrosoftAppId botbuilder accepts anonymous requests; loadConfig only allows that in sandbox mode.
  if (!openIdMetadataUrl) return new SortedAuthentication(botAuth);
  return new SortedAuthentication({ ...botAuth, ...PUBLIC_CLOUD, ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl });
}
