/** What the bulk commands and actions share: the scan runner, the stored scans, report links. */
import type { ScanRunner } from '../bulk/scan-runner.ts';
import type { ScanStore } from '../bulk/scan-store.ts';
import type { PostedCard } from '../domain/approval/types.ts';
import type { BulkScan } from '../domain/bulk/types.ts';
import type { AttachedFile } from './turn.ts';

export interface BulkFeatures {
  runner: ScanRunner;
  scans: ScanStore;
  /** A report link for this admin, valid for `minutes`. */
  reportLink(scan: BulkScan, userId: string): Promise<{ url: string; minutes: number }>;
  /** Records where the scan's card was posted and brings it up to date. */
  attach(scanId: string, posted: PostedCard): Promise<void>;
  /** Keeps a scan running in the background (awaited by `idle`). */
  track(work: Promise<unknown>): void;
  readFile(file: AttachedFile): Promise<string>;
  /** How long `scan` waits for a scan to end before answering with the progress card. */
  answerWithinMs: number;
}
