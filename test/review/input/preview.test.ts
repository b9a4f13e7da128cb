import { parsePreview, parseUrn, PreviewInputError } from "../../../review/input/preview";
import { fixtureText } from "../helpers";

test("a real capture parses, keeping the fields the review reads", () => {
  const { digest } = parsePreview(fixtureText("organization-changed"));
  const step = digest.steps!.find((item) => item.op === "replace")!;
  expect(step.replaceReasons).toEqual(["organization"]);
  expect(step.oldState?.type).toBe("pulumi-nodejs:dynamic/admindo:ApiKey");
  expect(step.newState?.inputs?.organization).toBe("globex");
});

test("unknown fields anywhere are tolerated, so a newer CLI does not break the review", () => {
  const document = JSON.parse(fixtureText("scope-added"));
  document.somethingNew = { nested: true };
  for (const step of document.steps) {
    step.futureField = [1, 2, 3];
    if (step.newState) step.newState.futureState = "x";
  }
  expect(() => parsePreview(JSON.stringify(document))).not.toThrow();
});

test("text printed before the JSON document (stderr mixed in) is skipped", () => {
  const text = `warning: A new version of Pulumi is available.\n${fixtureText("scope-added")}`;
  expect(parsePreview(text).digest.steps?.length).toBeGreaterThan(0);
});

test("a preview without steps (nothing planned) is valid", () => {
  expect(parsePreview("{}").digest.steps).toBeUndefined();
});

test.each([
  ["", /empty/],
  ["pulumi preview failed", /not JSON/],
  ['{"steps": "nope"}', /steps/],
  ['{"steps": [{"urn": "urn:pulumi:a::b::c::d"}]}', /steps\.0\.op/],
])("input %j is refused with a message that says why", (text, message) => {
  expect(() => parsePreview(text)).toThrow(PreviewInputError);
  expect(() => parsePreview(text)).toThrow(message);
});

test("URNs: stack, project, own type (without parents) and names that contain ::", () => {
  expect(parseUrn("urn:pulumi:prod::shop::pulumi-nodejs:dynamic/admindo:ApiKey::storefront")).toEqual({
    stack: "prod",
    project: "shop",
    type: "pulumi-nodejs:dynamic/admindo:ApiKey",
    name: "storefront",
  });
  expect(
    parseUrn("urn:pulumi:prod::shop::my:Component$pulumi-nodejs:dynamic/admindo:ApiKey::a::b"),
  ).toMatchObject({
    type: "pulumi-nodejs:dynamic/admindo:ApiKey",
    name: "a::b",
  });
  expect(parseUrn("not a urn")).toBeUndefined();
});
