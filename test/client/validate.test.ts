import fc from "fast-check";
import { fieldIssue, fieldName, fromWireIssue, toWireIssue } from "../../client/validate";

/** One validation-issue shape: printed paths, and the wire form error details carry. */

test("a path prints as Pulumi shows properties", () => {
  expect(fieldName(["restrictions", "ipAddresses", 0])).toBe("restrictions.ipAddresses[0]");
  expect(fieldName([0, "name"])).toBe("[0].name");
  expect(fieldName([])).toBe("(root)");
  expect(fieldName([], "(inputs)")).toBe("(inputs)");
});

test("an issue's wire form is its dotted path", () => {
  expect(toWireIssue(fieldIssue(["steps", 3, "functionId"], "no such function"))).toEqual({
    path: "steps.3.functionId",
    message: "no such function",
  });
  expect(fromWireIssue({ path: "", message: "m" })).toEqual({ field: "(root)", path: [], message: "m" });
});

test("reading the wire form gives back the issue (property)", () => {
  const segment = fc.oneof(fc.nat(), fc.stringMatching(/^[A-Za-z_-][A-Za-z0-9_-]{0,12}$/));
  fc.assert(
    fc.property(fc.array(segment, { maxLength: 6 }), fc.string(), (path, message) => {
      const issue = fieldIssue(path, message);
      expect(fromWireIssue(toWireIssue(issue))).toEqual(issue);
    }),
  );
});
