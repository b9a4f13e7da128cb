import { redactText, secretsIn } from "../../../client/redact";
import { SECRET_SIGNATURE, UNKNOWN } from "../../../resource";
import { REPORT_REDACTION } from "../../../review/output/redact";

/** The rules admindo-review and admindo-audit print with (client/redact.ts does the work). */

test("secret-looking names, the engine's secret envelope and Admin.do key shapes are secrets", () => {
  const preview = {
    outputs: { key: "adk_0123456789abcdefABCDEF", prefix: "adk_012345" },
    config: { "admindo:apiKey": "a-long-credential", apiToken: "not-a-secret-name" },
    envelope: { [SECRET_SIGNATURE]: "1b47061264138c4ac30d75fd1eb44270", plaintext: '"sealed value"' },
    triggers: { Token: "short", password: "hunter2-long" },
  };
  expect(secretsIn(preview, REPORT_REDACTION)).toEqual([
    "adk_0123456789abcdefABCDEF",
    "a-long-credential",
    '"sealed value"',
    "hunter2-long",
    "adk_012345",
  ]);
});

test("the unknown marker and the printed secret placeholder are never taken for secrets", () => {
  expect(secretsIn({ key: UNKNOWN, token: "[secret]" }, REPORT_REDACTION)).toEqual([]);
  expect(redactText(`key ${UNKNOWN}`, [], REPORT_REDACTION)).toBe(`key ${UNKNOWN}`);
});

test("secrets and anything shaped like an Admin.do key are printed as [secret]", () => {
  expect(
    redactText("a-long-credential, adk_9876543210zz, adk_12", ["a-long-credential"], REPORT_REDACTION),
  ).toBe("[secret], [secret], adk_12");
});
