import fc from "fast-check";
import { RATE_LIMIT_PERIOD_MS as PERIOD_MS } from "../../client/schemas";
import { PeakTracker } from "../../audit/peaks";

/** The most times in any window (t - length, t], the way the API's rate limiter counts. */
function bruteForce(times: number[], length: number): number {
  let peak = 0;
  for (const end of times)
    peak = Math.max(peak, times.filter((time) => time > end - length && time <= end).length);
  return peak;
}

test("the busiest second, minute, hour and day of requests given newest first", () => {
  const tracker = new PeakTracker();
  const base = Date.parse("2026-03-02T10:00:00Z");
  const times = [0, 100, 999, 1000, 1500, 61_000, 3_600_000, 86_400_000].map((offset) => base + offset);
  for (const time of [...times].reverse()) tracker.add(time);
  // 0, 100 and 999 fall in one second; 999, 1000 and 1500 in another: both hold 3.
  expect(tracker.peaks()).toEqual({ second: 3, minute: 5, hour: 6, day: 7 });
});

test("refuses times out of order: the log stream yields newest first", () => {
  const tracker = new PeakTracker();
  tracker.add(2000);
  expect(() => tracker.add(3000)).toThrow(/newest first/);
});

test("property: equal to counting every window, for any times and duplicates", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 200_000 }), { maxLength: 120 }), (raw) => {
      const times = [...raw].sort((a, b) => b - a);
      const tracker = new PeakTracker();
      for (const time of times) tracker.add(time);
      const peaks = tracker.peaks();
      expect(peaks.second).toBe(bruteForce(times, PERIOD_MS.second));
      expect(peaks.minute).toBe(bruteForce(times, PERIOD_MS.minute));
    }),
  );
});
