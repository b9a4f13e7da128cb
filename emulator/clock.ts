/** The emulator's notion of "now". Injected so tests can move time instead of sleeping. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/**
 * Wraps a clock with an adjustable offset, so `POST /_emulator/clock` can shift time for a
 * running emulator (e.g. to expire a key in an end-to-end test) without touching the base clock.
 */
export class ShiftableClock {
  private offsetMs = 0;

  constructor(private readonly base: Clock = systemClock) {}

  readonly now: Clock = () => new Date(this.base().getTime() + this.offsetMs);

  get offset(): number {
    return this.offsetMs;
  }

  /** Moves time forward (or back, with a negative value) by `ms`. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Sets "now" to `instant`, relative to the base clock from here on. */
  set(instant: Date): void {
    this.offsetMs = instant.getTime() - this.base().getTime();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
