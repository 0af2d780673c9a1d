/**
 * What `azure-tables:` may point at: a storage connection string (account key, SAS, or
 * `UseDevelopmentStorage=true` for Azurite) or an `https://` table endpoint, where the bot signs in
 * with its Entra identity. Problems are worded for STORE_URL and never repeat the value: a
 * connection string holds the account key.
 */

export type TablesTarget =
  /** `insecure`: the table endpoint is plain http:// (Azurite), which the SDK refuses unless told. */
  { kind: 'connection-string'; connectionString: string; endpoint: string; insecure: boolean } | { kind: 'endpoint'; endpoint: string };

export type TargetParse = { ok: true; target: TablesTarget } | { ok: false; problem: string };

const SHAPE =
  'must be azure-tables:<connection string> (DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...) or azure-tables:https://<account>.table.core.windows.net';

function fail(problem: string): TargetParse {
  return { ok: false, problem };
}

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
}

/** `Key=Value;Key=Value`, keys case-insensitive (as the storage SDKs read them); null if malformed. */
function connectionStringParts(value: string): Map<string, string> | null {
  const parts = new Map<string, string>();
  for (const element of value
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const eq = element.indexOf('=');
    if (eq <= 0) return null;
    parts.set(element.slice(0, eq).trim().toLowerCase(), element.slice(eq + 1).trim());
  }
  return parts.size > 0 ? parts : null;
}

function parseEndpoint(value: string): TargetParse {
  if (!URL.canParse(value) || new URL(value).protocol !== 'https:') {
    return fail(`${SHAPE}; a table endpoint must be https:// (for Azurite over http use its connection string)`);
  }
  return { ok: true, target: { kind: 'endpoint', endpoint: value.replace(/\/+$/, '') } };
}

function endpointOf(parts: Map<string, string>): string | { problem: string } {
  const explicit = parts.get('tableendpoint');
  if (explicit !== undefined) {
    return isHttpUrl(explicit)
      ? explicit.replace(/\/+$/, '')
      : { problem: 'TableEndpoint in the connection string must be an http(s):// URL' };
  }
  const protocol = parts.get('defaultendpointsprotocol');
  const account = parts.get('accountname');
  if (!account || !/^[a-z0-9]{3,24}$/.test(account))
    return { problem: 'the connection string needs AccountName (3-24 lowercase letters and digits) or TableEndpoint' };
  return `${protocol ?? 'https'}://${account}.table.${parts.get('endpointsuffix') ?? 'core.windows.net'}`;
}

function parseConnectionString(value: string): TargetParse {
  const parts = connectionStringParts(value);
  if (!parts) return fail(SHAPE);
  if (parts.get('usedevelopmentstorage')?.toLowerCase() === 'true') {
    return {
      ok: true,
      target: { kind: 'connection-string', connectionString: value, endpoint: 'http://127.0.0.1:10002/devstoreaccount1', insecure: true },
    };
  }
  const protocol = parts.get('defaultendpointsprotocol');
  if (parts.has('accountkey')) {
    // The SDK recognises an account-key string by DefaultEndpointsProtocol; without it the string is misread as SAS.
    if (protocol !== 'https' && protocol !== 'http')
      return fail('the connection string needs DefaultEndpointsProtocol=https (or http for Azurite) with AccountKey');
    if (!parts.get('accountname')) return fail('the connection string needs AccountName with AccountKey');
  } else if (!parts.get('sharedaccesssignature') || !parts.has('tableendpoint')) {
    return fail(`${SHAPE}; a connection string carries AccountKey, or SharedAccessSignature with TableEndpoint`);
  }
  const endpoint = endpointOf(parts);
  if (typeof endpoint !== 'string') return fail(endpoint.problem);
  return { ok: true, target: { kind: 'connection-string', connectionString: value, endpoint, insecure: endpoint.startsWith('http:') } };
}

/** Parses what follows `azure-tables:`. */
export function parseTablesTarget(value: string): TargetParse {
  const trimmed = value.trim();
  if (trimmed === '') return fail(SHAPE);
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? parseEndpoint(trimmed) : parseConnectionString(trimmed);
}
