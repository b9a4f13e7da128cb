import type Database from "better-sqlite3";
import type { FunctionRecord, FunctionStore } from "../types";
import { PARAM, totalOf } from "./params";

interface Row {
  id: string;
  organization: string;
  project: string;
  name: string;
  description: string | null;
  input: string | null;
  output: string | null;
  code: string;
  created_at: number;
}

const parse = (text: string | null) => (text === null ? null : JSON.parse(text));

function fromRow(row: Row): FunctionRecord {
  return {
    id: row.id,
    organization: row.organization,
    project: row.project,
    name: row.name,
    description: row.description,
    input: parse(row.input),
    output: parse(row.output),
    code: row.code,
    createdAt: row.created_at,
  };
}

export function sqliteFunctionStore(db: Database.Database): FunctionStore {
  const insert = db.prepare(`
    INSERT INTO functions (id, organization, project, name, description, input, output, code, created_at)
    VALUES (@id, @organization, @project, @name, @description, @input, @output, @code, @createdAt)`);
  const get = db.prepare<[string, string, string], Row>(
    `SELECT * FROM functions WHERE organization = ? AND project = ? AND id = ?`,
  );
  const list = db.prepare<[string, string, number, number], Row>(
    `SELECT * FROM functions WHERE organization = ${PARAM} AND project = ${PARAM}
     ORDER BY seq DESC LIMIT ${PARAM} OFFSET ${PARAM}`,
  );
  const count = db.prepare<[string, string], { n: number }>(
    `SELECT count(*) AS n FROM functions WHERE organization = ? AND project = ?`,
  );

  return {
    insert(fn) {
      insert.run({
        ...fn,
        input: fn.input === null ? null : JSON.stringify(fn.input),
        output: fn.output === null ? null : JSON.stringify(fn.output),
      });
    },
    get({ organization, project }, id) {
      const row = get.get(organization, project, id);
      return row && fromRow(row);
    },
    list({ organization, project }, limit, offset) {
      const items = list.all(organization, project, limit, offset).map(fromRow);
      return {
        items,
        total: totalOf(items.length, limit, offset, () => count.get(organization, project)!.n),
      };
    },
  };
}
