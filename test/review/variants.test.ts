import { API_KEY_REPLACE_REASONS, API_KEY_RESTRICTIONS_REPLACE_REASONS, UNKNOWN } from "../../resource";
import { fixtureDocument, resource, review, stepOf, type RawPreview, type RawStep } from "./helpers";

/**
 * Rules the captures do not reach on their own, each tested on a real capture with one field
 * edited (the shape stays what the CLI prints; only the values differ).
 */

function variant(fixture: string, name: string, edit: (step: RawStep, document: RawPreview) => void) {
  const document = fixtureDocument(fixture);
  edit(stepOf(document, name), document);
  return review(JSON.stringify(document)).report;
}

/** An in-place update of the reports key with `old` and `new` merged into its old outputs and new inputs. */
function reportsUpdate(old: Record<string, unknown>, news: Record<string, unknown>) {
  return resource(
    variant("admin-scope-granted", "reports", (step) => {
      step.newState!.inputs.scopes = step.oldState!.inputs.scopes;
      Object.assign(step.oldState!.outputs!, old);
      Object.assign(step.oldState!.inputs, old);
      Object.assign(step.newState!.inputs, news);
      for (const [field, value] of Object.entries(news))
        if (value === undefined) delete step.newState!.inputs[field];
    }),
    "reports",
  );
}

describe("organization", () => {
  test("moving a key with privileged scopes to another organization is an escalation", () => {
    const reports = resource(
      variant("organization-changed", "reports", (step) => {
        step.oldState!.outputs!.scopes = ["admin:users", "data:read"];
        step.newState!.inputs.scopes = ["admin:users", "data:read"];
      }),
      "reports",
    );
    expect(reports.escalations).toEqual([
      {
        rule: "organization-changed",
        reason: "moves a key with privileged scopes `admin:users` to organization `globex`",
      },
    ]);
  });
});

describe("expiry and rotation", () => {
  /** The deployed reports key: created at capture time, with a fixed expiry about 60 days later. */
  const deployed = stepOf(fixtureDocument("admin-scope-granted"), "reports").oldState!.outputs!;
  const createdAt = Date.parse(deployed.createdAt as string);
  const expiresAt = Date.parse(deployed.expiresAt as string);
  const day = 86_400_000;
  const iso = (time: number) => new Date(time).toISOString();

  test("a fixed expiry moved later is an escalation, moved earlier is stricter", () => {
    const later = reportsUpdate({}, { expiresAt: iso(expiresAt + 365 * day) });
    expect(later.changes[0]).toMatchObject({
      setting: "expiry",
      after: `expires ${iso(expiresAt + 365 * day).slice(0, 10)} ${iso(expiresAt).slice(11, 16)} UTC`,
      effect: "looser",
    });
    expect(later.escalations[0].rule).toBe("lifetime-lengthened");
    const sooner = reportsUpdate({}, { expiresAt: iso(expiresAt - day) });
    expect(sooner.changes[0]).toMatchObject({ effect: "stricter", escalation: null });
  });

  test("switching from a fixed expiry to a lifetime compares the instants the key would expire", () => {
    // The key keeps its creation time: 90d from creation ends after the fixed expiry (~60d), 7d before.
    const longer = reportsUpdate({}, { expiresAt: undefined, expiresIn: "90d" });
    expect(longer.changes[0]).toMatchObject({ setting: "expiry", effect: "looser" });
    expect(longer.changes[0].after).toBe(
      `90d after creation (expires ${iso(createdAt + 90 * day).slice(0, 10)} ${iso(createdAt).slice(11, 16)} UTC)`,
    );
    const shorter = reportsUpdate({}, { expiresAt: undefined, expiresIn: "7d" });
    expect(shorter.changes[0]).toMatchObject({ effect: "stricter" });
  });

  test("a longer or removed rotation period is an escalation; rotating sooner is stricter", () => {
    const removed = reportsUpdate({ rotationPeriod: "30d" }, { rotationPeriod: undefined });
    expect(removed.changes[0]).toMatchObject({
      setting: "rotation",
      summary: "every 30d → no rotation",
      effect: "looser",
    });
    expect(removed.escalations[0]).toMatchObject({ rule: "lifetime-lengthened" });
    expect(reportsUpdate({ rotationPeriod: "30d" }, { rotationPeriod: "90d" }).changes[0].effect).toBe(
      "looser",
    );
    expect(reportsUpdate({ rotationPeriod: "30d" }, { rotationPeriod: "2w" }).changes[0]).toMatchObject({
      effect: "stricter",
      escalation: null,
    });
    expect(
      reportsUpdate(
        { expiresIn: "90d", rotateBeforeExpiry: "7d" },
        { expiresIn: "90d", rotateBeforeExpiry: "1d" },
      ).changes[0],
    ).toMatchObject({
      setting: "rotation",
      summary: "7d before expiry → 1d before expiry",
      effect: "looser",
    });
  });
});

describe("restrictions", () => {
  function storefrontUpdate(edit: (restrictions: Record<string, unknown>) => void) {
    return resource(
      variant("ip-narrowed", "storefront", (step) => {
        const restrictions = structuredClone(step.oldState!.outputs!.restrictions) as Record<string, unknown>;
        edit(restrictions);
        step.newState!.inputs.restrictions = restrictions;
      }),
      "storefront",
    );
  }

  test("networks split differently but admitting the same addresses are no escalation", () => {
    const split = storefrontUpdate((restrictions) => {
      restrictions.ipAddresses = ["203.0.113.0/25", "203.0.113.128/25", "2001:db8:1::/48"];
    });
    expect(split.changes).toEqual([
      expect.objectContaining({ setting: "ipAddresses", effect: "changed", escalation: null }),
    ]);
  });

  test("adding an IPv6 range to IPv4-only restrictions admits new addresses", () => {
    const v6 = storefrontUpdate((restrictions) => {
      restrictions.ipAddresses = ["2001:db8:1::/48", "2001:db8:2::/48", "203.0.113.0/24"];
    });
    expect(v6.escalations[0].reason).toContain("`2001:db8:2::/48`");
  });

  test("the same window in another time zone admits other instants: an escalation", () => {
    const moved = storefrontUpdate((restrictions) => {
      restrictions.timeRestrictions = {
        ...(restrictions.timeRestrictions as object),
        timezone: "America/New_York",
      };
    });
    expect(moved.changes[0]).toMatchObject({ setting: "timeRestrictions", effect: "changed" });
    expect(moved.escalations[0].rule).toBe("time-window-widened");
  });

  test("a narrower window is stricter", () => {
    const narrower = storefrontUpdate((restrictions) => {
      restrictions.timeRestrictions = {
        daysOfWeek: ["monday"],
        hoursOfDay: [9, 10],
        timezone: "Europe/Berlin",
      };
    });
    expect(narrower.changes[0]).toMatchObject({
      after: "Mon, 09:00–11:00 (Europe/Berlin)",
      effect: "stricter",
      escalation: null,
    });
  });

  test("the same average rate over a longer period allows bigger bursts: looser", () => {
    const bursts = storefrontUpdate((restrictions) => {
      restrictions.rateLimit = { requests: 36000, period: "hour" };
    });
    expect(bursts.changes[0]).toMatchObject({ setting: "rateLimit", effect: "looser" });
    const lower = storefrontUpdate((restrictions) => {
      restrictions.rateLimit = { requests: 5, period: "second" };
    });
    expect(lower.changes[0]).toMatchObject({ effect: "stricter", escalation: null });
  });

  test("restrictions left out of the program are not a change: the key keeps them, and the review says so", () => {
    const unmanaged = resource(
      variant("scope-removed", "storefront", (step) => delete step.newState!.inputs.restrictions),
      "storefront",
    );
    expect(unmanaged.changes.map((change) => change.setting)).toEqual(["scopes"]);
    expect(unmanaged.notes[0]).toMatch(/no longer set by this resource/);
  });

  test("restrictions known only after apply are flagged", () => {
    const unknown = storefrontUpdate((restrictions) => {
      restrictions.ipAddresses = [UNKNOWN];
    });
    expect(unknown.changes[0]).toMatchObject({
      setting: "ipAddresses",
      after: "(known after apply)",
      effect: "unknown",
    });
    expect(unknown.escalations[0].rule).toBe("unknown-at-preview");
  });

  test("restrictions moved to another key leave the first key unrestricted: an escalation", () => {
    const moved = resource(
      variant("restrictions-resource-changed", "ingest-network", (step) => {
        step.op = "replace";
        step.replaceReasons = ["keyId"];
        step.newState!.inputs.keyId = "key_someOtherKey000000";
        (step.newState!.propertyDependencies as Record<string, string[]>).keyId = [
          step.urn.replace("ApiKeyRestrictions::ingest-network", "ApiKey::storefront"),
        ];
      }),
      "ingest-network",
    );
    expect(moved).toMatchObject({ op: "replace", restricts: "storefront" });
    expect(moved.changes[0]).toMatchObject({ setting: "keyId", before: "ingest", after: "storefront" });
    expect(moved.escalations[0]).toEqual({
      rule: "restrictions-removed",
      reason: "key `ingest` loses every restriction (IP 10.20.0.0/16; rate 300 per minute)",
    });
  });
});

describe("steps", () => {
  test("replacement steps (--show-replacement-steps) and unchanged resources (--show-sames) add no entries", () => {
    const document = fixtureDocument("organization-changed");
    const replace = stepOf(document, "reports");
    document.steps.push(
      { ...structuredClone(replace), op: "create-replacement" },
      { ...structuredClone(replace), op: "delete-replaced" },
      { ...structuredClone(replace), op: "same", urn: replace.urn.replace("::reports", "::unchanged") },
    );
    const { report } = review(JSON.stringify(document));
    expect(report.resources.map((item) => [item.name, item.op])).toEqual([["reports", "replace"]]);
  });

  test("a replacement without reasons (pulumi up --replace) still says it is a replacement", () => {
    const reports = resource(
      variant("rotation-trigger", "reports", (step) => delete step.replaceReasons),
      "reports",
    );
    expect(reports.replaceReasons).toEqual([expect.objectContaining({ kind: "other" })]);
  });

  test("the placeholder of a create whose outcome was unknown is replaced, and the review says why", () => {
    const reports = resource(
      variant("rotation-trigger", "reports", (step) => (step.replaceReasons = ["pendingCreate"])),
      "reports",
    );
    expect(reports.replaceReasons).toEqual([
      {
        property: "pendingCreate",
        kind: "other",
        text: "an earlier create failed without a definite answer and left a placeholder: a new key is created, then any key that request made is deleted",
      },
    ]);
  });

  test("every replace reason the providers give is worded; a reason the review does not know is named", () => {
    for (const reason of [...API_KEY_REPLACE_REASONS, ...API_KEY_RESTRICTIONS_REPLACE_REASONS]) {
      const reports = resource(
        variant("rotation-trigger", "reports", (step) => (step.replaceReasons = [reason])),
        "reports",
      );
      expect([reason, reports.replaceReasons[0].text]).not.toEqual([reason, `\`${reason}\` changed`]);
    }
    const future = resource(
      variant("rotation-trigger", "reports", (step) => (step.replaceReasons = ["somethingNew"])),
      "reports",
    );
    expect(future.replaceReasons).toEqual([
      { property: "somethingNew", kind: "other", text: "`somethingNew` changed" },
    ]);
  });

  test("resources of other types are ignored; errors the preview reported are counted", () => {
    const document = fixtureDocument("admin-scope-granted");
    const other = structuredClone(stepOf(document, "reports"));
    other.urn = other.urn.replace("pulumi-nodejs:dynamic/admindo:ApiKey", "aws:s3/bucket:Bucket");
    other.oldState!.type = "aws:s3/bucket:Bucket";
    other.newState!.type = "aws:s3/bucket:Bucket";
    document.steps.push(other);
    document.diagnostics = [
      { severity: "error", message: "boom" },
      { severity: "warning", message: "hm" },
    ];
    const { report } = review(JSON.stringify(document));
    expect(report.resources.map((item) => item.name)).toEqual(["reports"]);
    expect(report.summary.previewErrors).toBe(1);
  });
});

describe("restrictions and their key", () => {
  test("deleting restrictions together with their key is no escalation", () => {
    const document = fixtureDocument("restrictions-resource-deleted");
    const keyDeleted = stepOf(fixtureDocument("key-deleted"), "reports");
    const ingest = structuredClone(keyDeleted);
    ingest.urn = ingest.urn.replace("::reports", "::ingest");
    document.steps.push(ingest);
    const { report } = review(JSON.stringify(document));
    expect(resource(report, "ingest-network")).toMatchObject({ op: "delete", escalations: [] });
    expect(resource(report, "ingest-network").notes).toEqual(["Key `ingest` is deleted in the same update."]);
  });
});
