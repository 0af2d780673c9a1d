/** One time budget shared by every Graph call of a command (created by cloud-directory/deadline.ts). */
export interface Deadline {
  /** The whole budget, in ms. */
  readonly budgetMs: number;
  /** Aborts when the budget is spent. */
  readonly signal: AbortSignal;
  /** Time left, never negative. */
  remainingMs(): number;
}
