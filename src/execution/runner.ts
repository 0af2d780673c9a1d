/**
 * How this bot instance runs executions over time: each one started in the background and tracked
 * until it stops (so shutdown and tests can wait for them), the start-up resume of executions
 * another instance (or this one, before a restart) left mid-way, and the periodic sweeper that
 * resumes them later, once their lease is over.
 */
import type { Logger } from '../logging/logger.ts';
import type { Engine, RunOptions } from './engine.ts';

export interface ExecutionRunnerDeps {
  engine: Pick<Engine, 'run' | 'resumeAbandoned'>;
  /** The served tenant: only its abandoned executions are resumed. */
  tenantId: string;
  logger: Logger;
  /** How often the sweeper looks for abandoned executions; default one lease (60 s). */
  sweepIntervalMs?: number;
}

export interface ExecutionRunner {
  /** Starts (or resumes) one execution in the background; a failure is logged, never thrown. */
  execute(requestId: string, options?: RunOptions): void;
  /** Resumes executions whose engine died; answers how many this instance took over. */
  resumeAbandoned(): Promise<number>;
  /** Starts the periodic resume; answers the function that stops it. */
  startSweeper(intervalMs?: number): () => void;
  /** Resolves once every execution this instance started has stopped (tests, shutdown). */
  idle(): Promise<void>;
}

export function createExecutionRunner(deps: ExecutionRunnerDeps): ExecutionRunner {
  const running = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>): void => {
    const tracked = work
      .catch((err: unknown) => deps.logger.error({ err }, 'execution failed unexpectedly'))
      .finally(() => running.delete(tracked));
    running.add(tracked);
  };
  const resumeAbandoned = () => deps.engine.resumeAbandoned(deps.tenantId);
  return {
    execute: (requestId, options) => track(deps.engine.run(requestId, options)),
    resumeAbandoned,
    startSweeper(intervalMs = deps.sweepIntervalMs ?? 60_000) {
      const timer = setInterval(() => track(resumeAbandoned()), intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
