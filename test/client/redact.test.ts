import { redactText, redactValue, safeCause, secretsIn, type RedactionRules } from "../../client/redact";

/** The redaction module with the client's rules (the default): a response's one-time `key`. */

describe("the client's rules", () => {
  const body = { id: "key_1", key: "adk_secretvalue", nested: [{ key: "adk_another" }], prefix: "adk_sec" };

  test("every string under a `key` property is a secret, at any depth, longest first", () => {
    expect(secretsIn(body)).toEqual(["adk_secretvalue", "adk_another"]);
    expect(secretsIn({ token: "not-a-key-name", key: "" })).toEqual([]);
  });

  test("redactText blanks every occurrence with [REDACTED]; nothing else looks like a secret", () => {
    expect(redactText("got adk_secretvalue twice: adk_secretvalue (adk_sec)", secretsIn(body))).toBe(
      "got [REDACTED] twice: [REDACTED] (adk_sec)",
    );
  });

  test("redactValue copies, blanking `key` strings even when no secret was collected from them", () => {
    const copy = redactValue({ details: { key: "short", message: "adk_another leaked" } }, ["adk_another"]);
    expect(copy).toEqual({ details: { key: "[REDACTED]", message: "[REDACTED] leaked" } });
  });

  test("safeCause replaces an error that prints a secret by a redacted copy with its name and code", () => {
    const error = Object.assign(new TypeError("sent Authorization: Bearer adk_secretvalue"), { code: "E_X" });
    const cause = safeCause(error, ["adk_secretvalue"]) as Error & { code: string };
    expect(cause).not.toBe(error);
    expect([cause.name, cause.code, cause.message]).toEqual([
      "TypeError",
      "E_X",
      "sent Authorization: Bearer [REDACTED]",
    ]);
    expect(cause.stack).not.toContain("adk_secretvalue");
    const harmless = new Error("connection refused");
    expect(safeCause(harmless, ["adk_secretvalue"])).toBe(harmless);
  });
});

describe("other rules", () => {
  const rules: RedactionRules = {
    marker: "***",
    secretNames: /^password$/i,
    minLength: 4,
    ignore: ["n/a!"],
    envelope: "$secret",
    shape: /tok_[a-z]+/g,
  };

  test("names, envelopes and shapes make secrets; short and ignored values do not", () => {
    const document = {
      Password: "hunter22",
      user: { password: ["abc", "n/a!", "longer-one"] },
      wrapped: { $secret: true, value: { deep: "in-an-envelope" } },
      note: "see tok_abcdef",
    };
    expect(secretsIn(document, rules)).toEqual(["in-an-envelope", "longer-one", "tok_abcdef", "hunter22"]);
  });

  test("the shape is blanked in text even when no document held it", () => {
    expect(redactText("tok_zzz and hunter22", ["hunter22"], rules)).toBe("*** and ***");
    expect(redactValue({ password: "abc" }, [], rules)).toEqual({ password: "abc" });
  });
});
