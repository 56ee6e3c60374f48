import { ApiError } from '../../api/client';

/** A span of the video just watched, in seconds of the video's timeline. */
export interface Span {
  from: number;
  to: number;
}

/** Spans this close are one: the player restarts a span where the last one ended, give or take a timeupdate. */
const ADJACENT_SECONDS = 0.5;
const FIRST_RETRY_MS = 1_000;
const LAST_RETRY_MS = 15_000;

interface Options<Answer> {
  /** Where unsent spans are kept (sessionStorage), so a reload of the page sends them too. */
  storageKey: string;
  /** Posts one span; `keepalive` when the page is being hidden or left. */
  send: (span: Span, keepalive: boolean) => Promise<Answer>;
  /** The play event: the server counts watching from a playback start it saw. */
  play: () => Promise<unknown>;
  onAnswer: (answer: Answer) => void;
  /** A report the server refused for good (another device, the course closed…): it is dropped. */
  onRefused: (error: ApiError) => void;
  /** True while spans wait for a retry after a failure (network, API restart), false once all are sent. */
  onRetrying: (retrying: boolean) => void;
}

/** Failures worth trying again: the network, an API process restarting, throttling. The rest are answers. */
function retryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status === 0 || error.status === 401 || error.status === 408 || error.status === 429 || error.status >= 500;
}

/**
 * The player's progress reports, none lost: spans wait in a queue (kept in sessionStorage) until the server
 * has answered them, go out one at a time in order, adjacent ones merged, and are tried again with backoff
 * after a failure. The play event goes out before the spans after it. When the page is hidden or left,
 * everything waiting goes out at once with `keepalive`; a span sent twice is counted once by the server.
 */
export class WatchReporter<Answer> {
  private queue: Span[];
  /**
   * Spans on their way to the server (how many requests each): never extended, or the answer would take
   * the extension away with them.
   */
  private readonly sending = new Map<Span, number>();
  /** Spans that already had a playback restarted for them: a second refusal drops them. */
  private readonly restarted = new WeakSet<Span>();
  private busy = false;
  private playPending = false;
  private retryDelay = FIRST_RETRY_MS;
  private retryTimer: number | undefined;
  private retrying = false;
  private stopped = false;

  constructor(private readonly options: Options<Answer>) {
    this.queue = load(options.storageKey);
  }

  /** Spans left from before a reload go out first. */
  start(): void {
    window.addEventListener('online', this.retryNow);
    void this.flush();
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.retryTimer);
    window.removeEventListener('online', this.retryNow);
  }

  /** Queues a span; `leaving` when the page is being hidden or left: then everything waiting goes out at once. */
  add(span: Span, leaving = false): void {
    const last = this.queue[this.queue.length - 1];
    if (last && !this.sending.has(last) && span.from >= last.from && span.from <= last.to + ADJACENT_SECONDS) last.to = Math.max(last.to, span.to);
    else this.queue.push({ ...span });
    this.save();
    if (leaving) this.sendAllNow();
    else void this.flush();
  }

  /** The learner pressed play (or resumed). */
  played(): void {
    this.playPending = true;
    void this.flush();
  }

  /**
   * The page is being hidden or left: everything waiting goes out now with keepalive, the span in flight too
   * (a request of a page being left may be cancelled), without waiting for answers one by one.
   */
  sendAllNow(): void {
    for (const span of [...this.queue]) {
      this.begin(span);
      this.options.send(span, true).then(
        (answer) => {
          this.end(span);
          this.remove(span);
          this.options.onAnswer(answer);
        },
        (error: unknown) => {
          this.end(span);
          // Still queued and stored (a reload sends it too); retried as usual if the page stays.
          if (!retryable(error)) {
            this.remove(span);
            this.options.onRefused(error as ApiError);
          } else if (!this.busy && this.retryTimer === undefined) this.failed();
        },
      );
    }
  }

  private readonly retryNow = () => {
    window.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    void this.flush();
  };

  private async flush(): Promise<void> {
    if (this.stopped || this.busy || this.retryTimer !== undefined) return;
    this.busy = true;
    try {
      while (!this.stopped) {
        if (this.playPending) {
          try {
            await this.options.play();
          } catch (error) {
            // A refused play event (not enrolled any more…) is answered again by the reports themselves.
            if (retryable(error)) return this.failed();
          }
          this.playPending = false;
        }
        const span = this.queue[0];
        if (!span) return this.settled();
        this.begin(span);
        try {
          this.options.onAnswer(await this.options.send(span, false));
          this.remove(span);
        } catch (error) {
          if (error instanceof ApiError && error.code === 'PLAYBACK_NOT_STARTED' && !this.restarted.has(span)) {
            // The server never saw this playback start, or its mark expired: start again, then resend.
            this.restarted.add(span);
            this.playPending = true;
          } else if (retryable(error)) {
            return this.failed();
          } else {
            this.remove(span);
            this.options.onRefused(error as ApiError);
          }
        } finally {
          this.end(span);
        }
        this.retryDelay = FIRST_RETRY_MS;
      }
    } finally {
      this.busy = false;
    }
  }

  private begin(span: Span): void {
    this.sending.set(span, (this.sending.get(span) ?? 0) + 1);
  }

  private end(span: Span): void {
    const left = (this.sending.get(span) ?? 1) - 1;
    if (left > 0) this.sending.set(span, left);
    else this.sending.delete(span);
  }

  private failed(): void {
    if (this.stopped) return;
    if (!this.retrying) this.options.onRetrying((this.retrying = true));
    this.retryTimer = window.setTimeout(this.retryNow, this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, LAST_RETRY_MS);
  }

  private settled(): void {
    this.retryDelay = FIRST_RETRY_MS;
    if (this.retrying) this.options.onRetrying((this.retrying = false));
  }

  private remove(span: Span): void {
    const index = this.queue.indexOf(span);
    if (index >= 0) this.queue.splice(index, 1);
    this.save();
  }

  private save(): void {
    try {
      if (this.queue.length) sessionStorage.setItem(this.options.storageKey, JSON.stringify(this.queue));
      else sessionStorage.removeItem(this.options.storageKey);
    } catch {
      // Storage full or blocked (private mode): the queue in memory still holds the spans.
    }
  }
}

function load(key: string): Span[] {
  try {
    const stored = JSON.parse(sessionStorage.getItem(key) ?? '[]') as unknown;
    return Array.isArray(stored) ? stored.filter((s): s is Span => typeof s?.from === 'number' && typeof s?.to === 'number' && s.to >= s.from) : [];
  } catch {
    return [];
  }
}
