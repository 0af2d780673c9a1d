/**
 * Check 3 of `hardmatch check`: the relay answers `/v1/health` signed with RELAY_KEY and reaches its
 * directory, then one signed look-up. Failures say which layer broke: DNS, TCP, TLS, a time-out,
 * a refused signature (key mismatch or clock skew), or a relay that cannot reach AD.
 */
import { randomUUID } from 'node:crypto';
import type { RelayClientConfig } from '../config/load-config.ts';
import { networkCodeOf, networkKind, type NetworkKind } from '../cloud-directory/errors.ts';
import { RelayUnavailable } from '../errors/index.ts';
import type { RelayClient } from '../ports/relay.ts';
import { bounded, failed, failedFrom, ok, skipped, type Outcome, type Report } from './report.ts';

export interface RelayCheckInput {
  config: RelayClientConfig | undefined;
  client: RelayClient | undefined;
  /** Who to look up; default a random GUID, which no user holds (the look-up still searches AD). */
  sample?: string;
  timeoutMs: number;
  now: () => number;
}

const NETWORK_FIX: Record<NetworkKind, string> = {
  dns: "The host name in RELAY_URL does not resolve (DNS): check the name, and that the bot's network (App Service VNet integration / private DNS zone) can resolve it.",
  refused:
    'Nothing accepts connections at RELAY_URL (TCP refused): check that hardmatch-relay is running (`hardmatch-relay check` on its server), the port in RELAY_URL, and the firewall.',
  unreachable:
    'There is no network route to RELAY_URL (TCP): check the VPN / private endpoint / VNet integration between the bot and the relay server.',
  tls: "The TLS handshake with the relay failed: the relay's certificate must be trusted by the bot (a public CA, or NODE_EXTRA_CA_CERTS=<CA file> on the bot) and name the host in RELAY_URL.",
  timeout:
    'The relay server did not answer in time: check the firewall (a dropped connection looks like this) and that hardmatch-relay is running.',
  reset:
    'The connection was closed before the relay answered: a proxy or firewall may be cutting it, or RELAY_URL speaks https to a plain-http relay (or the other way round).',
  other: 'Check RELAY_URL and the network between the bot and the relay server.',
};

function keyFix(now: number): string {
  return (
    "RELAY_KEY must be exactly the relay agent's RELAY_KEY (copy it again; Key Vault secret relay-key on Azure), " +
    `and the two clocks must agree within 5 minutes (this machine's clock says ${new Date(now).toISOString()}; compare with the relay server's).`
  );
}

function relayFailure(err: unknown, now: number, timeoutMs: number): Outcome {
  if (err instanceof RelayUnavailable) {
    if (err.code === 'RELAY_REJECTED') return failed(`the relay refused the bot's signature (${err.message})`, keyFix(now), err.code);
    if (err.code === 'RELAY_TIMEOUT')
      return failed(err.message, NETWORK_FIX.timeout.replace('in time', `within RELAY_TIMEOUT_MS (${timeoutMs} ms)`), err.code);
    if (err.code === 'RELAY_UNAVAILABLE') {
      // The relay client keeps the socket's error as the cause; its code tells DNS, TCP and TLS apart.
      const code = err.cause === undefined ? undefined : networkCodeOf(err.cause);
      if (code === undefined)
        return failed(
          err.message,
          'Check that hardmatch-relay is running and that RELAY_URL points at it (an Azure Relay answers 404 while no agent listens).',
          err.code,
        );
      const message = code === 'UNKNOWN' ? err.message : err.message.replace('(network error)', `(${code})`);
      return failed(message, NETWORK_FIX[networkKind(code)], err.code);
    }
  }
  return failedFrom(err, 'Run the same version of the bot and hardmatch-relay, and `hardmatch-relay check` on the relay server.');
}

async function lookupOutcome(input: RelayCheckInput, client: RelayClient): Promise<Outcome> {
  const who = input.sample ?? randomUUID();
  try {
    const result = await bounded(input.timeoutMs, () => client.lookup(who));
    if (input.sample === undefined) return ok('a signed look-up was answered (a random GUID, which no user holds: 0 found, as expected).');
    if (result.users.length === 0)
      return ok(`a signed look-up was answered: no user matched "${who}" (check the name or the relay's LDAP_BASE_DN).`);
    const found = result.users.map((u) => u.dn).join('; ');
    return ok(`a signed look-up was answered: "${who}" is ${found}${result.truncated ? ' and more' : ''}.`);
  } catch (err) {
    return relayFailure(err, input.now(), input.timeoutMs);
  }
}

export async function relaySection(input: RelayCheckInput, report: Report): Promise<void> {
  report.section('Relay');
  const { config, client } = input;
  if (!config || !client) {
    report.outcome(
      failed(
        'RELAY_URL is not set: `match` cannot run and `guid` can only convert.',
        "Set RELAY_URL to the relay agent's address (or its Azure Relay Hybrid Connection URL) and RELAY_KEY to the relay agent's RELAY_KEY.",
      ),
    );
    report.outcome(skipped('RELAY_URL is not set'));
    return;
  }
  let healthy = false;
  try {
    const health = await bounded(input.timeoutMs, () => client.health());
    if (health.status === 'ok') {
      healthy = true;
      report.outcome(
        ok(
          `${new URL(config.url).origin} answered /v1/health signed with RELAY_KEY: hardmatch-relay ${health.version}, directory ${health.directory} reachable, source anchor ${health.sourceAnchor}.`,
        ),
      );
    } else {
      const problem = health.problem ? `${health.problem.code}: ${health.problem.message}` : 'no reason given';
      report.outcome(
        failed(
          `the relay answers, but cannot use its directory (${problem}).`,
          'Run `hardmatch-relay check` on the relay server: it says what to fix in the LDAP settings.',
        ),
      );
    }
  } catch (err) {
    report.outcome(relayFailure(err, input.now(), input.timeoutMs));
  }
  report.outcome(healthy ? await lookupOutcome(input, client) : skipped('the relay health check failed'));
}
