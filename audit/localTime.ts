import { DAYS_OF_WEEK, type DayOfWeek } from "../client/schemas";

/**
 * Day of week and hour of an instant on the wall clock of a time zone, as the API checks a key's
 * time window. Every time zone in use today is offset from UTC by a multiple of 15 minutes, so
 * the answer is the same for a whole 15-minute slot: computing it once per slot keeps
 * Intl.DateTimeFormat off the per-entry path of a large log.
 */
export class LocalTime {
  private readonly format: Intl.DateTimeFormat;
  private readonly slots = new Map<number, { day: DayOfWeek; hour: number }>();

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "long",
      hour: "numeric",
      hourCycle: "h23",
    });
  }

  of(time: number): { day: DayOfWeek; hour: number } {
    const slot = Math.floor(time / 900_000);
    let local = this.slots.get(slot);
    if (!local) {
      const parts = this.format.formatToParts(new Date(slot * 900_000));
      const day = parts.find((part) => part.type === "weekday")!.value.toLowerCase() as DayOfWeek;
      if (!DAYS_OF_WEEK.includes(day)) throw new Error(`unexpected weekday ${day}`);
      local = { day, hour: Number(parts.find((part) => part.type === "hour")!.value) % 24 };
      if (this.slots.size >= 10_000) this.slots.clear();
      this.slots.set(slot, local);
    }
    return local;
  }
}
