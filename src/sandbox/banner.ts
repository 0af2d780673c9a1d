/** What the sandbox prints once everything is up: where to click and what to type. */
import { SANDBOX_PEOPLE } from './sandbox-users.ts';
import { SCENARIOS } from './scenarios/index.ts';

export interface BannerInput {
  botUrl: string;
  relayUrl: string;
  relayExternal: boolean;
  playgroundUrl?: string;
  /** The second admin's Playground (Ben Approver), when it runs. */
  approverPlaygroundUrl?: string;
  /** Why the Playground is not running (failed to start, or turned off). */
  playgroundProblem?: string;
  /** The Entra emulator's Graph base URL. */
  emulatorUrl?: string;
  /** 'catalog' (the scenarios are listed), or the SANDBOX_TENANT file. */
  tenantSource?: string;
  /** 'fixtures' (the sandbox's AD users), or the SANDBOX_DIRECTORY file. */
  directorySource?: string;
}

/** One line per `match` of the catalog: what to type and which scenario it shows. */
export function scenarioLines(): string[] {
  const matches = SCENARIOS.flatMap((s) => s.matches.map((m) => ({ command: `match ${m.who}`, scenario: s })));
  const width = Math.max(...matches.map((m) => m.command.length));
  return matches.map(({ command, scenario }) => {
    const label = scenario.domainScenario === null ? 'control' : `#${scenario.domainScenario}`;
    return `   ${command.padEnd(width)}  ${label.padEnd(7)} ${scenario.title.replace(/^Control: /, '')}`;
  });
}

function directoryWords(source: string | undefined): string {
  return source === undefined || source === 'fixtures' ? 'fixture directory' : `AD users from ${source} (SANDBOX_DIRECTORY)`;
}

export function sandboxBanner(input: BannerInput): string {
  const rule = '='.repeat(72);
  const open = input.playgroundUrl
    ? `Hardmatch SANDBOX — open ${input.playgroundUrl} in a browser`
    : 'Hardmatch SANDBOX — the bot is running without the Agents Playground';
  const lines = [rule, ` ${open}`];
  if (input.playgroundUrl) {
    lines.push(`   there you are Adele Admin (${SANDBOX_PEOPLE.adele.aadObjectId}): match asmith, then Request approval`);
  }
  if (input.approverPlaygroundUrl) {
    lines.push(
      ` second admin: open ${input.approverPlaygroundUrl} as Ben Approver (${SANDBOX_PEOPLE.ben.aadObjectId}) and type status <request id> to approve`,
    );
  }
  if (input.playgroundProblem) {
    lines.push(` Agents Playground: ${input.playgroundProblem}`);
    lines.push(` Point any Bot Framework client (anonymous) at ${input.botUrl}/api/messages.`);
  }
  if (input.tenantSource === undefined || input.tenantSource === 'catalog') {
    lines.push(' try one user per scenario (the README lists them):', ...scenarioLines());
  } else {
    lines.push(` tenant: ${input.tenantSource} (SANDBOX_TENANT); type \`match <sAMAccountName>\` for your users`);
  }
  lines.push(
    ' also: guid jdoe · guid shared@contoso.com · guid 04e278dc-0512-4dc7-ab22-156d99c343ca · help',
    ` bot:      ${input.botUrl}/api/messages (anonymous requests accepted: sandbox only)`,
    ` relay:    ${input.relayUrl} ${input.relayExternal ? '(your relay from RELAY_URL: a real AD, read-only)' : `(${directoryWords(input.directorySource)}, random key for this run; its delta sync is simulated)`}`,
  );
  if (input.emulatorUrl) lines.push(` emulator: ${input.emulatorUrl} (Entra emulator, HTTPS; certificate trusted by this process only)`);
  lines.push(' Ctrl-C stops everything.', rule);
  return lines.join('\n');
}
