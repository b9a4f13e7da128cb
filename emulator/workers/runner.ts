import { Worker } from "node:worker_threads";
import { executionFailed, serviceUnavailable, type ApiError } from "../errors";
import { jsonProblem } from "../http/jsonBody";
import { MAX_RESULT_CHARS, workerSource, type Job, type JobReply } from "./worker";

/**
 * Runs stored functions in worker threads, so that function code never runs on the server's own
 * thread: the thread that serves requests is never blocked by a function, an exception or a
 * rejected promise of a function cannot end the process, a function's memory is capped, and the
 * worker's environment is empty (it cannot read the emulator's). Each request that runs functions
 * gets a worker of its own (a workflow's steps and an event's subscribers share it; they belong to
 * one tenant); a function that overruns its time gets the worker terminated.
 */

export interface RunnerOptions {
  /** Time limit of one function run (default 1 s). */
  functionTimeoutMs?: number;
  /** Time limit of all function runs of one request together, waiting for a worker included (default 5 s). */
  requestBudgetMs?: number;
  /** Workers running at once; further requests wait for one within their budget (default 4). */
  maxWorkers?: number;
  /** Heap limit of a worker in MiB (default 64). */
  memoryMb?: number;
}

/** Extra time the worker gets to report a timeout of its own before it is terminated. */
const TERMINATE_AFTER_MS = 250;

export interface RunResult {
  output: unknown;
  durationMs: number;
}

export class FunctionRunner {
  readonly functionTimeoutMs: number;
  readonly requestBudgetMs: number;
  readonly maxWorkers: number;
  readonly memoryMb: number;
  private readonly source = workerSource();
  private busy = 0;
  private readonly waiting = new Set<{ grant: () => void }>();
  readonly workers = new Set<Worker>();
  private closed = false;

  constructor(options: RunnerOptions = {}) {
    this.functionTimeoutMs = options.functionTimeoutMs ?? 1_000;
    this.requestBudgetMs = options.requestBudgetMs ?? 5_000;
    this.maxWorkers = options.maxWorkers ?? 4;
    this.memoryMb = options.memoryMb ?? 64;
  }

  /** A run of functions for one request; end it when the request is done with functions. */
  session(): FunctionSession {
    return new FunctionSession(this, performance.now() + this.requestBudgetMs);
  }

  /** Terminates every worker; later runs fail. */
  async close(): Promise<void> {
    this.closed = true;
    this.spare = undefined;
    for (const waiter of this.waiting) waiter.grant();
    this.waiting.clear();
    await Promise.all([...this.workers].map((worker) => worker.terminate()));
  }

  /** @internal A worker slot, within `deadline`. */
  async acquire(deadline: number): Promise<void> {
    if (this.closed) throw serviceUnavailable("The emulator is shutting down.", 1);
    if (this.busy < this.maxWorkers) {
      this.busy++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        grant: () => {
          clearTimeout(timer);
          if (this.closed) reject(serviceUnavailable("The emulator is shutting down.", 1));
          else resolve();
        },
      };
      const timer = setTimeout(
        () => {
          this.waiting.delete(waiter);
          reject(serviceUnavailable(`All ${this.maxWorkers} function workers are busy; try again.`, 1));
        },
        Math.max(0, deadline - performance.now()),
      );
      this.waiting.add(waiter);
    });
  }

  /** @internal Gives a slot back, to the longest waiter if there is one. */
  release(): void {
    const next = this.waiting.values().next();
    if (!next.done) {
      this.waiting.delete(next.value);
      next.value.grant(); // the slot passes on: busy stays the same
    } else this.busy--;
  }

  /**
   * @internal A fresh worker for a session. One is kept started and idle once functions have run,
   * so a request does not wait for a thread to start (tens of ms); it is never one that ran code.
   */
  spawn(): Worker {
    const worker = this.spare ?? this.create();
    this.spare = undefined;
    worker.ref();
    if (!this.closed) {
      this.spare = this.create();
      this.spare.unref(); // an idle spare must not keep a finished process alive
    }
    return worker;
  }

  private spare: Worker | undefined;

  private create(): Worker {
    const worker = new Worker(this.source, {
      eval: true,
      name: "admindo-function",
      // Its own, empty environment: function code must never see the emulator's.
      env: {},
      execArgv: [],
      stdout: true,
      stderr: true,
      resourceLimits: {
        maxOldGenerationSizeMb: this.memoryMb,
        maxYoungGenerationSizeMb: Math.max(4, Math.floor(this.memoryMb / 8)),
        codeRangeSizeMb: 16,
        stackSizeMb: 4,
      },
    });
    worker.stdout.resume();
    worker.stderr.resume();
    this.workers.add(worker);
    worker.once("exit", () => {
      this.workers.delete(worker);
      if (this.spare === worker) this.spare = undefined;
    });
    // A worker's failure (out of memory, a crash) is reported to its run, never thrown here.
    worker.on("error", () => undefined);
    return worker;
  }
}

/** The functions of one request: one worker, one time budget. */
export class FunctionSession {
  private worker: Worker | undefined;
  private slot = false;
  private nextId = 1;

  constructor(
    private readonly runner: FunctionRunner,
    /** performance.now() by which every run of this session must be over. */
    readonly deadline: number,
  ) {}

  /** Milliseconds left of the request's budget. */
  remaining(): number {
    return this.deadline - performance.now();
  }

  /**
   * Runs `code` with `input` (which crosses as JSON, as does the output). Failures of the function
   * are ApiError 422 execution_failed; a run out of budget before it starts is one too.
   */
  async run(code: string, input: unknown): Promise<RunResult> {
    const budget = Math.floor(this.remaining());
    if (budget <= 0) {
      throw executionFailed(
        `The request used up its ${this.runner.requestBudgetMs} ms for functions before this one could run.`,
      );
    }
    if (!this.slot) {
      await this.runner.acquire(this.deadline);
      this.slot = true;
    }
    const worker = (this.worker ??= this.runner.spawn());
    const timeoutMs = Math.max(1, Math.min(this.runner.functionTimeoutMs, Math.floor(this.remaining())));
    const job: Job = { id: this.nextId++, code, input: JSON.stringify(input ?? {}), timeoutMs };
    const started = performance.now();
    const reply = await this.exchange(worker, job, timeoutMs + TERMINATE_AFTER_MS);
    const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
    return { output: outputOf(reply, timeoutMs), durationMs };
  }

  /** Sends a job and waits for its reply; on a timeout or a worker failure the worker is gone. */
  private exchange(worker: Worker, job: Job, waitMs: number): Promise<JobReply> {
    return new Promise((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
      };
      const lose = (error: ApiError) => {
        finish();
        this.worker = undefined;
        void worker.terminate();
        reject(error);
      };
      const onMessage = (reply: unknown) => {
        if (!isReply(reply, job.id)) return lose(failed("its runner sent a malformed reply"));
        finish();
        resolve(reply);
      };
      const onError = (error: Error & { code?: string }) =>
        lose(
          error.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? failed(`it ran out of memory (the limit is ${this.runner.memoryMb} MiB)`)
            : failed("its runner crashed"),
        );
      const onExit = () => lose(failed("it ended its runner"));
      const timer = setTimeout(() => lose(timedOut(job.timeoutMs)), waitMs);
      worker.on("message", onMessage);
      worker.once("error", onError);
      worker.once("exit", onExit);
      worker.postMessage(job);
    });
  }

  /** Terminates the worker and gives its slot back. Safe to call twice. */
  end(): void {
    if (this.worker) void this.worker.terminate();
    this.worker = undefined;
    if (this.slot) this.runner.release();
    this.slot = false;
  }
}

function isReply(value: unknown, id: number): value is JobReply {
  if (typeof value !== "object" || value === null) return false;
  const reply = value as Record<string, unknown>;
  return reply.id === id && (typeof reply.result === "string" || typeof reply.failure === "string");
}

const failed = (why: string) => executionFailed(`The function failed: ${why}.`);
const timedOut = (ms: number) => executionFailed(`The function did not finish within ${ms} ms.`);

function outputOf(reply: JobReply, timeoutMs: number): unknown {
  if ("failure" in reply) {
    switch (reply.failure) {
      case "compile":
        throw executionFailed("The function's code does not compile.");
      case "timeout":
        throw timedOut(timeoutMs);
      case "unsettled":
        throw executionFailed(
          "The function returned a promise that never settled (timers and I/O are not available).",
        );
      case "too-large":
        throw failed(`its output is larger than ${MAX_RESULT_CHARS / 1024 / 1024} MiB as JSON`);
      default:
        throw failed("its result could not be read");
    }
  }
  // The output goes into responses and storage like a request body: the same bounds apply.
  const problem = jsonProblem(reply.result);
  if (problem) throw failed(`its output ${problem}`);
  const outcome = JSON.parse(reply.result) as { value?: unknown; error?: unknown };
  if (typeof outcome.error === "string") throw executionFailed(`The function threw: ${outcome.error}`);
  return outcome.value;
}
