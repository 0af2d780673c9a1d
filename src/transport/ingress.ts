/**
 * Who may post activities to /api/messages, chosen at composition. Production's ingress
 * authenticates every request with a Bot Framework token for the bot's identity, and refuses to
 * start without one; the sandbox injects its anonymous one (src/sandbox), which the Agents
 * Playground needs. Nothing else in the transport knows which is in use.
 */
import type { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { BotConfig } from '../config/load-config.ts';
import { ConfigError } from '../errors/index.ts';
import { createBotAuthentication } from './bot-auth.ts';

/** An activity refused before botbuilder sees it: the status, its fixed body words, and the log line. */
export interface IngressRefusal {
  status: number;
  text: string;
  log: string;
}

export interface Ingress {
  /** True when requests need no Bot Framework token; /healthz reports it (as `sandbox`). */
  readonly anonymous: boolean;
  /** The adapter's Bot Framework authentication. `openIdMetadataUrl` is a test hook (bot-auth.ts). */
  authentication(botAuth: BotConfig['botAuth'], openIdMetadataUrl?: string): ConfigurationBotFrameworkAuthentication;
  /** Checks an activity of the right shape before it is authenticated; undefined lets it through. */
  screen?(activity: { serviceUrl: string }): IngressRefusal | undefined;
}

/**
 * Every request carries a valid Bot Framework token for MicrosoftAppId. Without an identity
 * botbuilder would accept anonymous requests, so this ingress does not start without one.
 */
export const authenticatedIngress: Ingress = {
  anonymous: false,
  authentication(botAuth, openIdMetadataUrl) {
    if (!botAuth.MicrosoftAppId)
      throw new ConfigError([
        "MicrosoftAppId: required outside the sandbox (the bot's Entra app or managed identity client id); run `npm start` for the sandbox",
      ]);
    return createBotAuthentication(botAuth, openIdMetadataUrl);
  },
};
