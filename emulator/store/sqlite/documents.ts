import type Database from "better-sqlite3";
import type { DataItemRecord, DataStore, DocumentRecord, DocumentStore } from "../types";
import { PARAM, totalOf } from "./params";

interface DocumentRow {
  kind: string;
  organization: string;
  /** The project ("" for none); named `owner` since the first schema. */
  owner: string;
  id: string;
  data: string;
  created_at: number;
}

function documentFromRow<T>(row: DocumentRow): DocumentRecord<T> {
  return {
    kind: row.kind,
    organization: row.organization,
    project: row.owner,
    id: row.id,
    data: JSON.parse(row.data),
    createdAt: row.created_at,
  };
}

/** JSON documents of the small services (workflows, agents, event subscriptions, events, users). */
export function sqliteDocumentStore(db: Database.Database): DocumentStore {
  const insert = db.prepare(
    `INSERT INTO documents (kind, organization, owner, id, data, created_at)
     VALUES (@kind, @organization, @project, @id, @data, @createdAt)`,
  );
  const get = db.prepare<[string, string, string, string], DocumentRow>(
    `SELECT * FROM documents WHERE kind = ? AND organization = ? AND owner = ? AND id = ?`,
  );
  const list = db.prepare<[string, string, string, number, number], DocumentRow>(
    `SELECT * FROM documents WHERE kind = ${PARAM} AND organization = ${PARAM} AND owner = ${PARAM}
     ORDER BY seq DESC LIMIT ${PARAM} OFFSET ${PARAM}`,
  );
  const count = db.prepare<[string, string, string], { n: number }>(
    `SELECT count(*) AS n FROM documents WHERE kind = ? AND organization = ? AND owner = ?`,
  );

  return {
    insert(doc) {
      insert.run({ ...doc, data: JSON.stringify(doc.data) });
    },
    get<T>(kind: string, { organization, project }: { organization: string; project: string }, id: string) {
      const row = get.get(kind, organization, project, id);
      return row && documentFromRow<T>(row);
    },
    list<T>(
      kind: string,
      { organization, project }: { organization: string; project: string },
      limit: number,
      offset: number,
    ) {
      const items = list
        .all(kind, organization, project, limit, offset)
        .map((row) => documentFromRow<T>(row));
      return {
        items,
        total: totalOf(items.length, limit, offset, () => count.get(kind, organization, project)!.n),
      };
    },
  };
}

interface DataRow {
  organization: string;
  project: string;
  collection: string;
  key: string;
  value: string;
  updated_at: number;
}

function itemFromRow(row: DataRow): DataItemRecord {
  return {
    organization: row.organization,
    project: row.project,
    collection: row.collection,
    key: row.key,
    value: JSON.parse(row.value),
    updatedAt: row.updated_at,
  };
}

/** The key-value data service: one JSON value per (organization, project, collection, key). */
export function sqliteDataStore(db: Database.Database): DataStore {
  const put = db.prepare(`
    INSERT INTO data_items (organization, project, collection, key, value, updated_at)
    VALUES (@organization, @project, @collection, @key, @value, @updatedAt)
    ON CONFLICT (organization, project, collection, key)
    DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
  const get = db.prepare<[string, string, string, string], DataRow>(
    `SELECT * FROM data_items WHERE organization = ? AND project = ? AND collection = ? AND key = ?`,
  );
  const list = db.prepare<[string, string, string, number, number], DataRow>(
    `SELECT * FROM data_items WHERE organization = ${PARAM} AND project = ${PARAM} AND collection = ${PARAM}
     ORDER BY key LIMIT ${PARAM} OFFSET ${PARAM}`,
  );
  const count = db.prepare<[string, string, string], { n: number }>(
    `SELECT count(*) AS n FROM data_items WHERE organization = ? AND project = ? AND collection = ?`,
  );

  return {
    put(item) {
      put.run({ ...item, value: JSON.stringify(item.value) });
    },
    get({ organization, project }, collection, key) {
      const row = get.get(organization, project, collection, key);
      return row && itemFromRow(row);
    },
    list({ organization, project }, collection, limit, offset) {
      const items = list.all(organization, project, collection, limit, offset).map(itemFromRow);
      return {
        items,
        total: totalOf(items.length, limit, offset, () => count.get(organization, project, collection)!.n),
      };
    },
  };
}
