import { keysBoundToProjects } from "../../policy-pack/policies";
import { UNKNOWN, compliantKey, keyWith, validateResource } from "./helpers";

describe("keys-bound-to-projects", () => {
  test("accepts a key limited to a project", async () => {
    expect(await validateResource(keysBoundToProjects, compliantKey())).toEqual([]);
  });

  test("rejects a key without projects", async () => {
    const props = keyWith((key) => delete key.projects);
    expect(await validateResource(keysBoundToProjects, props)).toEqual([
      'API key "storefront-caller" must be limited to at least one project: set projects (e.g. ["storefront"]); projects is not set.',
    ]);
  });

  test("rejects an empty project list", async () => {
    const props = keyWith((key) => (key.projects = []));
    expect(await validateResource(keysBoundToProjects, props)).toEqual([
      expect.stringContaining("projects is empty."),
    ]);
  });

  test("allowOrganizationWideKeys accepts every key without projects", async () => {
    const props = keyWith((key) => delete key.projects);
    const config = { allowOrganizationWideKeys: true };
    expect(await validateResource(keysBoundToProjects, props, { config })).toEqual([]);
  });

  test("organizationWideKeys exempts keys by name", async () => {
    const props = keyWith((key) => delete key.projects);
    expect(
      await validateResource(keysBoundToProjects, props, {
        config: { organizationWideKeys: ["storefront-caller"] },
      }),
    ).toEqual([]);
    expect(
      await validateResource(keysBoundToProjects, props, {
        config: { organizationWideKeys: ["another-key"] },
      }),
    ).toHaveLength(1);
  });

  test("skips unknown projects by default; fails with onUnknown fail", async () => {
    const props = keyWith((key) => (key.projects = UNKNOWN));
    expect(await validateResource(keysBoundToProjects, props)).toEqual([]);
    expect(await validateResource(keysBoundToProjects, props, { config: { onUnknown: "fail" } })).toEqual([
      expect.stringContaining("must have projects known at preview"),
    ]);
  });
});
