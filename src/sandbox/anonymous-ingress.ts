/**
 * The sandbox's ingress: the Agents Playground sends no Bot Framework token, so the sandbox bot
 * accepts anonymous requests (it runs without a bot identity: botbuilder then skips the token
 * check), and, being anonymous, answers only activities whose replies go to a loopback address.
 * Injected by the sandbox composition; production's ingress (src/transport/ingress.ts) refuses
 * anonymous requests.
 */
import { createBotAuthentication } from '../transport/bot-auth.ts';
import type { Ingress } from '../transport/ingress.ts';
import { isLoopbackUrl } from '../transport/loopback.ts';

export const anonymousIngress: Ingress = {
  anonymous: true,
  authentication(botAuth, openIdMetadataUrl) {
    // No identity: the sandbox entry point drops it (start-sandbox.ts) and loadConfig allows that only in sandbox mode.
    return createBotAuthentication(botAuth, openIdMetadataUrl);
  },
  screen(activity) {
    if (isLoopbackUrl(activity.serviceUrl)) return undefined;
    return {
      status: 403,
      text: 'Forbidden: the sandbox answers only activities whose serviceUrl is a loopback address.',
      log: 'refused an activity whose serviceUrl is not a loopback address',
    };
  },
};
