import { FORMATS } from "../../review";
import { SECRET_SIGNATURE } from "../../resource";
import { fixtureDocument, fixtureText, review, stepOf } from "./helpers";

/**
 * "Never prints a secret": a real capture, with plaintext key material planted everywhere a
 * misbehaving provider or tool could put it, reviewed in every format.
 */

const PLAINTEXT_KEY = "adk_Zq8RkV2mN4pL7xT1cW9bH3sD6fG0jY5u";
const OTHER_SECRET = 'p@ss"word\\with-json-escapes';

function previewWithPlaintextSecrets(): string {
  const document = fixtureDocument("admin-scope-granted");
  const reports = stepOf(document, "reports");
  // The secret output in plaintext, as if a tool had run with --show-secrets.
  reports.oldState!.outputs!.key = PLAINTEXT_KEY;
  reports.newState!.outputs = {
    key: { [SECRET_SIGNATURE]: "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(PLAINTEXT_KEY) },
    token: OTHER_SECRET,
  };
  // The same values where the review does print text: a description and a rotation trigger.
  reports.oldState!.outputs!.description = "old description";
  reports.newState!.inputs.description = `rotated because ${PLAINTEXT_KEY} leaked; password ${OTHER_SECRET}`;
  reports.newState!.inputs.rotationTriggers = { leaked: PLAINTEXT_KEY };
  document.config = { "admindo:apiKey": PLAINTEXT_KEY };
  return JSON.stringify(document, null, 4);
}

test("the planted preview really contains the plaintext key, and the real capture does not", () => {
  expect(previewWithPlaintextSecrets()).toContain(PLAINTEXT_KEY);
  expect(fixtureText("admin-scope-granted")).not.toContain(PLAINTEXT_KEY);
});

test.each(FORMATS)("the %s report never prints a key or anything shaped like one", (format) => {
  const { output } = review(previewWithPlaintextSecrets(), format);
  expect(output).not.toContain(PLAINTEXT_KEY);
  expect(output).not.toContain(PLAINTEXT_KEY.slice(0, 14));
  expect(output).not.toMatch(/adk_/);
  expect(output).not.toContain("p@ss");
  // The review still happened: the description change is listed, with the secrets blanked.
  expect(output).toContain("description");
  expect(output).toContain("[secret]");
  expect(output).toContain("admin:write");
});

test("the JSON report stays valid JSON after secrets are blanked", () => {
  const { output } = review(previewWithPlaintextSecrets(), "json");
  const parsed = JSON.parse(output);
  const description = parsed.resources[0].changes.find(
    (change: { setting: string }) => change.setting === "description",
  );
  expect(description.after).toBe("rotated because [secret] leaked; password [secret]");
});

test("a secret that stands in for a reviewed setting is shown as [secret] and flagged, never compared", () => {
  const document = fixtureDocument("admin-scope-granted");
  stepOf(document, "reports").newState!.inputs.scopes = "[secret]";
  const { report, output } = review(JSON.stringify(document), "text");
  expect(report.resources[0].changes[0]).toMatchObject({
    setting: "scopes",
    after: "[secret]",
    effect: "unknown",
  });
  expect(report.escalations[0]).toMatchObject({
    rule: "unknown-at-preview",
    reason:
      "the new value of the scopes is secret in the preview, so this review cannot rule out an escalation",
  });
  expect(output).toContain("[secret]");
});
