/** What the sandbox prints once everything is up: where to click and what to type. */

export interface BannerInput {
  botUrl: string;
  relayUrl: string;
  relayExternal: boolean;
  playgroundUrl?: string;
  /** Why the Playground is not running (failed to start, or turned off). */
  playgroundProblem?: string;
}

export function sandboxBanner(input: BannerInput): string {
  const rule = '='.repeat(72);
  const open = input.playgroundUrl
    ? `Hardmatch SANDBOX — open ${input.playgroundUrl} in a browser`
    : 'Hardmatch SANDBOX — the bot is running without the Agents Playground';
  const lines = [rule, ` ${open}`];
  if (input.playgroundProblem) {
    lines.push(` Agents Playground: ${input.playgroundProblem}`);
    lines.push(` Point any Bot Framework client (anonymous) at ${input.botUrl}/api/messages.`);
  }
  lines.push(
    ' try: guid jdoe · guid cmigrated · guid shared@contoso.com · guid 04e278dc-0512-4dc7-ab22-156d99c343ca · help',
    ` bot:   ${input.botUrl}/api/messages (anonymous requests accepted: sandbox only)`,
    ` relay: ${input.relayUrl} ${input.relayExternal ? '(your relay from RELAY_URL: a real AD, read-only)' : '(fixture directory, random key for this run)'}`,
    ' Ctrl-C stops everything.',
    rule,
  );
  return lines.join('\n');
}
