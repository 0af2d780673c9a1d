/**
 * Reads a file a user attached (a scan's CSV): one GET of Teams' pre-authorised download URL,
 * bounded in size and time. Only https URLs are fetched outside the sandbox, so an activity can
 * never make the bot read a plain-http (or internal) address.
 */
import { InputError } from '../../errors/index.ts';
import type { AttachedFile } from '../turn.ts';

export interface ReadFileOptions {
  maxBytes: number;
  /** Default 20 s. */
  timeoutMs?: number;
  /** Sandbox only: plain http download URLs (the Playground serves files over http). */
  allowHttp?: boolean;
  fetch?: typeof fetch;
}

export async function readAttachedFile(file: AttachedFile, options: ReadFileOptions): Promise<string> {
  const url = parseUrl(file.downloadUrl);
  if (!url || !(url.protocol === 'https:' || (options.allowHttp && url.protocol === 'http:'))) {
    throw new InputError(
      'INPUT_INVALID',
      `The attachment "${file.name.slice(0, 80)}" has no https download link the bot can read; attach the CSV again in a 1:1 chat with the bot.`,
    );
  }
  const response = await (options.fetch ?? fetch)(url, {
    signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
    redirect: 'follow',
  }).catch((err: unknown) => {
    throw new InputError(
      'INPUT_INVALID',
      `The attachment "${file.name.slice(0, 80)}" could not be downloaded (${err instanceof Error ? err.name : 'network error'}); attach it again.`,
    );
  });
  if (!response.ok)
    throw new InputError(
      'INPUT_INVALID',
      `The attachment "${file.name.slice(0, 80)}" could not be downloaded (HTTP ${response.status}); attach it again.`,
    );
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > options.maxBytes) throw tooLarge(file, options.maxBytes);
  const body = new Uint8Array(await response.arrayBuffer());
  if (body.byteLength > options.maxBytes) throw tooLarge(file, options.maxBytes);
  return new TextDecoder('utf-8').decode(body);
}

function tooLarge(file: AttachedFile, maxBytes: number): InputError {
  return new InputError(
    'INPUT_TOO_LONG',
    `The attachment "${file.name.slice(0, 80)}" is larger than ${Math.round(maxBytes / 1024).toLocaleString('en-US')} KB, the most one scan reads; split it.`,
    { limit: maxBytes },
  );
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
