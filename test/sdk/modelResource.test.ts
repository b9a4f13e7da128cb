import * as pulumi from "@pulumi/pulumi";
import { ApiKey } from "../../sdk";

beforeAll(() =>
  pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: () => ({}),
    },
    "project",
    "stack",
    true,
  ),
);

/** Waits for the registration a constructor started (so that none outlives the test). */
const registered = (resource: pulumi.CustomResource) =>
  new Promise<void>((resolve) => resource.urn.apply(() => resolve()));

test("registering a resource captures no stacks and leaves the stack-trace limit as it was", async () => {
  const before = Error.stackTraceLimit;
  const captured: number[] = [];
  const limits = new Set<number>();
  // Every promise the SDK makes for a property captures `new Error().stack`; record the limit then.
  const prepare = Error.prepareStackTrace;
  Error.prepareStackTrace = (error, frames) => {
    limits.add(Error.stackTraceLimit);
    captured.push(frames.length);
    return prepare ? prepare(error, frames) : `${error}`;
  };
  let key: ApiKey;
  try {
    key = new ApiKey("limits", { organization: "acme", scopes: ["data:read"] });
  } finally {
    Error.prepareStackTrace = prepare;
  }
  await registered(key);
  expect(Error.stackTraceLimit).toBe(before);
  // Dozens of promises, each capturing a stack, but with no frames; only the SDK's capture of the
  // resource's source position (which raises the limit itself) has any.
  expect(captured.length).toBeGreaterThan(40);
  expect(captured.filter((frames) => frames > 0)).toHaveLength(1);
});

test("an error thrown while registering carries the stack of the program's `new` call", () => {
  let error: unknown;
  try {
    new ApiKey(undefined as unknown as string, { organization: "acme", scopes: ["data:read"] });
  } catch (thrown) {
    error = thrown;
  }
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).stack).toContain("modelResource.test.ts");
  expect(Error.stackTraceLimit).toBeGreaterThan(0);
});
