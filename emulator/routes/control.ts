import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { DurationSchema, TimestampSchema, parseDuration } from "../../client/schemas";
import { forbidden, invalidField, invalidInput } from "../errors";
import { FaultSpecSchema } from "../faults";
import { authenticate } from "../enforcement/authenticate";
import type { Services } from "../http/state";

/**
 * Emulator controls, outside the Admin.do API: fault injection and the clock. Root key only;
 * never faulted, never logged.
 */

const ClockChangeSchema = z
  .strictObject({
    /** Move time forward by a duration such as "2h" or "31d". */
    advance: DurationSchema.optional(),
    /** Move time by a number of milliseconds (negative moves it back). */
    advanceMs: z.number().int().optional(),
    /** Jump to this instant. */
    set: TimestampSchema.optional(),
    /** Back to the base clock. */
    reset: z.literal(true).optional(),
  })
  .refine((change) => Object.keys(change).length === 1, {
    error: "give exactly one of advance, advanceMs, set or reset",
  });

/** The clock stays where timestamps can express it, with a year to spare (it keeps running). */
const LATEST = Date.parse("9999-01-01T00:00:00.000Z");

function requireRoot(services: Services, request: FastifyRequest): void {
  const { key } = authenticate(
    services.store,
    request.headers.authorization,
    services.clock().getTime(),
    request.admindo,
  );
  if (!key.isRoot) {
    throw forbidden("insufficient_scope", "Only the emulator's root key may use the /_emulator routes.");
  }
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw invalidInput(parsed.error);
  return parsed.data;
}

export function registerControlRoutes(app: FastifyInstance, services: Services): void {
  const { faults, clockControl } = services;
  const clockState = () => ({ now: clockControl.now().toISOString(), offsetMs: clockControl.offset });

  app.register(
    async (control) => {
      control.addHook("onRequest", async (request) => requireRoot(services, request));

      control.get("/faults", async () => ({ data: faults.list() }));
      control.post("/faults", async (request, reply) => {
        const rule = faults.inject(parse(FaultSpecSchema, request.body));
        return reply.code(201).send(rule);
      });
      control.delete("/faults", async (_request, reply) => {
        faults.clear();
        return reply.code(204).send();
      });

      control.get("/clock", async () => clockState());
      control.post("/clock", async (request) => {
        const change = parse(ClockChangeSchema, request.body);
        const now = clockControl.now().getTime();
        const target =
          change.advance !== undefined
            ? now + parseDuration(change.advance)!
            : change.advanceMs !== undefined
              ? now + change.advanceMs
              : change.set !== undefined
                ? Date.parse(change.set)
                : undefined;
        if (target !== undefined && !(target >= 0 && target <= LATEST)) {
          throw invalidField(
            [Object.keys(change)[0]],
            "moves the clock outside 1970-01-01 to 9999-01-01",
            "The clock must stay between 1970 and 9999.",
          );
        }
        if (change.reset) clockControl.reset();
        else if (target !== undefined) clockControl.advance(target - now);
        return clockState();
      });
    },
    { prefix: "/_emulator" },
  );
}
