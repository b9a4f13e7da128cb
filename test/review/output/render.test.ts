import { renderJson, renderMarkdown, renderText, reviewPreview, ReviewReportSchema } from "../../../review";
import { codeSpan, escapeText, inline } from "../../../review/output/render/markdown";
import { parsePreview } from "../../../review/input/preview";
import { fixtureDocument, fixtureText, review, reviewFixture, stepOf } from "../helpers";

describe("markdown", () => {
  test("summary line first, escalations before the per-resource tables", () => {
    const markdown = review(fixtureText("mixed"), "markdown").output;
    const lines = markdown.split("\n");
    expect(lines[0]).toBe("<!-- admindo-review -->");
    expect(markdown).toContain(
      "**⚠️ 3 escalations need an extra approval.** 5 resources change: 1 create, 2 update, 1 replace, 1 delete.",
    );
    const escalations = markdown.indexOf("| Escalation | Resource | Why |");
    const firstTable = markdown.indexOf("| Setting | Change | Review |");
    expect(escalations).toBeGreaterThan(0);
    expect(firstTable).toBeGreaterThan(escalations);
    expect(markdown).toContain(
      "| privileged-scope-granted | `ingest` (ApiKey, update) | grants privileged scopes `events:trigger` |",
    );
    expect(markdown).toContain("#### `ingest` · ApiKey · update ⚠️");
    expect(markdown).toContain("| scopes | `+ events:trigger` | ⚠️ **escalation** |");
    expect(markdown).toContain("| scopes | `- functions:execute` | stricter |");
  });

  test("no changes and no escalations say so", () => {
    const markdown = review(fixtureText("no-changes"), "markdown").output;
    expect(markdown).toContain("✅ No escalations. No Admin.do API keys or restrictions change.");
    expect(markdown).not.toContain("| Setting |");
  });

  test("names from the program cannot inject Markdown, HTML or break a table", () => {
    const document = fixtureDocument("admin-scope-granted");
    const step = stepOf(document, "reports");
    const hostile = "evil|name`<img src=x onerror=alert(1)>**";
    step.urn = step.urn.replace("::reports", `::${hostile}`);
    const markdown = review(JSON.stringify(document), "markdown").output;
    // The name appears only as inline code, where GitHub shows HTML and Markdown as typed.
    expect(markdown).toContain(codeSpan(hostile));
    expect(markdown.split(codeSpan(hostile)).join("")).not.toMatch(/<img|evil/);
    for (const line of markdown
      .split("\n")
      .filter((item) => item.startsWith("| ") && item.includes("evil"))) {
      // Every pipe inside a cell is escaped: the row keeps its three columns.
      expect(line.replace(/\\\|/g, "").split("|").length).toBe(5);
    }
  });

  test("escaping helpers", () => {
    expect(escapeText("a <b> & *c* | d_e")).toBe("a &lt;b&gt; &amp; \\*c\\* \\| d\\_e");
    expect(codeSpan("a`b")).toBe("``a`b``");
    expect(codeSpan("`x`")).toBe("`` `x` ``");
    expect(codeSpan("a|b")).toBe("`a\\|b`");
    expect(inline("grants `admin:write` to *you*")).toBe("grants `admin:write` to \\*you\\*");
  });
});

describe("text", () => {
  test("plain by default, ANSI colour only when asked for", () => {
    const report = reviewFixture("admin-scope-granted");
    const plain = renderText(report);
    expect(plain).not.toContain("\u001b[");
    expect(plain).toContain(
      "! reports (ApiKey, update): grants privileged scopes admin:write and functions:execute",
    );
    expect(plain).toContain("scopes  + admin:write, + functions:execute  [escalation]");
    const colored = renderText(report, { color: true });
    expect(colored).toContain("\u001b[31;1m[escalation]\u001b[0m");
    expect(colored.replace(/\u001b\[[0-9;]*m/g, "")).toBe(plain);
  });

  test("control characters from the program never reach the terminal", () => {
    const document = fixtureDocument("admin-scope-granted");
    const step = stepOf(document, "reports");
    step.urn = step.urn.replace("::reports", "::re\u001b[2Jports");
    const text = renderText(reviewPreview(parsePreview(JSON.stringify(document)).digest));
    expect(text).not.toContain("\u001b");
  });
});

describe("json", () => {
  test("the documented shape, stable field order, one document", () => {
    const json = renderJson(reviewFixture("key-created"));
    const parsed = JSON.parse(json);
    expect(ReviewReportSchema.parse(parsed)).toEqual(parsed);
    expect(Object.keys(parsed)).toEqual([
      "schemaVersion",
      "stack",
      "project",
      "summary",
      "escalations",
      "resources",
    ]);
    expect(parsed.resources[0]).toEqual({
      urn: "urn:pulumi:test::e2e-review-keys::pulumi-nodejs:dynamic/admindo:ApiKey::billing-admin",
      name: "billing-admin",
      type: "ApiKey",
      op: "create",
      restricts: null,
      replaceReasons: [],
      secretRotation: null,
      changes: [
        {
          setting: "organization",
          summary: "acme",
          before: null,
          after: "acme",
          effect: "new",
          escalation: null,
        },
        {
          setting: "scopes",
          summary: "admin:billing, admin:read",
          before: null,
          after: ["admin:billing", "admin:read"],
          added: ["admin:billing", "admin:read"],
          removed: [],
          effect: "new",
          escalation: {
            rule: "new-privileged-key",
            reason: "new key with privileged scopes `admin:billing` and `admin:read`",
          },
        },
        {
          setting: "projects",
          summary: "every project",
          before: null,
          after: [],
          added: [],
          removed: [],
          effect: "new",
          escalation: null,
        },
        {
          setting: "expiry",
          summary: "30d after creation",
          before: null,
          after: "30d after creation",
          effect: "new",
          escalation: null,
        },
      ],
      escalations: [
        {
          rule: "new-privileged-key",
          reason: "new key with privileged scopes `admin:billing` and `admin:read`",
        },
      ],
      notes: [],
    });
  });
});

test("every format renders every fixture", () => {
  const report = reviewFixture("mixed");
  expect(renderMarkdown(report).length).toBeGreaterThan(100);
  expect(renderText(report).length).toBeGreaterThan(100);
});
