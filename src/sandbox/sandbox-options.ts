/**
 * What the sandbox puts around the product, handed to composeBot (src/compose-bot.ts) as options:
 * the anonymous ingress the Agents Playground needs, the SANDBOX frame on every card, its welcome
 * example, executions finished before it stops, attachments read from the Playground's plain-http
 * links, and, when it holds AD itself, its person doing the confirmed MANUAL steps. Used by the
 * sandbox's start and by the test and bench bots that run in sandbox mode, so they all run the same
 * wrapping.
 */
import type { ComposeBotOptions } from '../compose-bot.ts';
import { anonymousIngress } from './anonymous-ingress.ts';
import { withPersonsPart, type CarryOutManualDeps } from './carry-out-manual.ts';
import { SANDBOX_WELCOME_EXAMPLE, sandboxFrame } from './sandbox-cards.ts';

export type SandboxBotOptions = Required<
  Pick<ComposeBotOptions, 'ingress' | 'frame' | 'welcomeExample' | 'finishExecutionsOnClose' | 'allowHttpAttachments'>
> &
  Pick<ComposeBotOptions, 'wrapCheckDone'>;

/** `person`: the stand-ins the sandbox's person edits; omit when AD is the admin's own (their relay). */
export function sandboxBotOptions(person?: CarryOutManualDeps): SandboxBotOptions {
  return {
    ingress: anonymousIngress,
    frame: sandboxFrame,
    welcomeExample: SANDBOX_WELCOME_EXAMPLE,
    finishExecutionsOnClose: true,
    allowHttpAttachments: true,
    ...(person ? { wrapCheckDone: (check) => withPersonsPart(check, person) } : {}),
  };
}
