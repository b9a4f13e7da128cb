import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import { type CreateUserParamsSchema, type User } from "../../client/schemas";
import { assertOrganization } from "../enforcement/privileges";
import { conflict, invalidField } from "../errors";
import { defineOperation } from "../http/operation";
import { listPage } from "../http/query";
import type { Services } from "../http/state";
import { newId } from "../secrets";
import type { DocumentRecord, KeyRecord } from "../store";

type StoredUser = Omit<z.infer<typeof CreateUserParamsSchema>, "organization">;
const USER = "user";

/**
 * The organization an admin request is about: the one named (if the caller may act there), else
 * the caller's own. The root key belongs to none, so it must name one.
 */
function organizationFor(caller: KeyRecord, named: string | undefined): string {
  if (named !== undefined) {
    assertOrganization(caller, named);
    return named;
  }
  if (caller.organization !== null) return caller.organization;
  throw invalidField(
    ["organization"],
    "required for the root key",
    "The root key belongs to no organization: name one with `organization`.",
  );
}

/** Users belong to their organization, not to a project. */
const usersOf = (organization: string) => ({ organization, project: "" });

function userToWire(doc: DocumentRecord<StoredUser>): User {
  return {
    id: doc.id,
    email: doc.data.email,
    name: doc.data.name ?? null,
    role: doc.data.role,
    organization: doc.organization,
    createdAt: new Date(doc.createdAt).toISOString(),
  };
}

/** A page of a list held in memory. */
function slice<T>(items: T[], query: { limit?: number; offset?: number }) {
  const read = ({ limit, offset }: { limit: number; offset: number }) => ({
    items: items.slice(offset, offset + limit),
    total: items.length,
  });
  return listPage(query, read, (item) => item);
}

/** The admin directory: users, organizations, projects and billing, each behind its admin:* scope. */
export function registerAdminRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;

  defineOperation(app, services, "admin.listUsers", ({ caller, query }) => {
    const organization = organizationFor(caller, query.organization);
    return listPage(
      query,
      ({ limit, offset }) => store.documents.list<StoredUser>(USER, usersOf(organization), limit, offset),
      userToWire,
    );
  });

  defineOperation(app, services, "admin.createUser", ({ caller, body, now }) => {
    const { organization: named, ...user } = body;
    const organization = organizationFor(caller, named);
    const existing = store.documents.list<StoredUser>(USER, usersOf(organization), 100_000, 0).items;
    if (existing.some((doc) => doc.data.email.toLowerCase() === user.email.toLowerCase())) {
      throw conflict(`A user with email ${user.email} already exists in ${organization}.`);
    }
    const doc = { kind: USER, ...usersOf(organization), id: newId("usr"), data: user, createdAt: now };
    store.documents.insert(doc);
    return userToWire(doc);
  });

  defineOperation(app, services, "admin.listOrganizations", ({ caller, query }) => {
    const all = store.keys.organizations();
    return slice(caller.isRoot ? all : all.filter((org) => org.name === caller.organization), query);
  });

  defineOperation(app, services, "admin.listProjects", ({ caller, query }) => {
    const projects = store.keys.projects(organizationFor(caller, query.organization));
    // A project-bound key sees only its own projects.
    const visible =
      caller.projects.length === 0 ? projects : projects.filter((p) => caller.projects.includes(p.name));
    return slice(visible, query);
  });

  defineOperation(app, services, "admin.getBilling", ({ caller, query, now }) => {
    const organization = organizationFor(caller, query.organization);
    const today = new Date(now);
    const from = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1);
    const rows = store.logs.aggregate({ organization, from, to: now, groupBy: "resource" });
    const byResource = rows.map((row) => ({
      resource: row.key,
      requests: row.requests,
      errors: row.errors,
      cost: row.costMicros / 1_000_000,
    }));
    const sum = (pick: (row: (typeof byResource)[number]) => number) =>
      byResource.reduce((total, row) => total + pick(row), 0);
    return {
      organization,
      start: new Date(from).toISOString(),
      end: new Date(now).toISOString(),
      currency: "USD",
      total: {
        requests: sum((row) => row.requests),
        errors: sum((row) => row.errors),
        cost: Math.round(sum((row) => row.cost) * 1_000_000) / 1_000_000,
      },
      byResource,
    };
  });
}
