import type Database from "better-sqlite3";
import type { FunctionRecord, FunctionStore } from "../types";

interface Row {
  id: string;
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
    INSERT INTO functions (id, project, name, description, input, output, code, created_at)
    VALUES (@id, @project, @name, @description, @input, @output, @code, @createdAt)`);
  const get = db.prepare<[string, string], Row>(`SELECT * FROM functions WHERE project = ? AND id = ?`);
  const list = db.prepare<[string, number, number], Row>(
    `SELECT * FROM functions WHERE project = ? ORDER BY seq DESC LIMIT ? OFFSET ?`,
  );
  const count = db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM functions WHERE project = ?`);

  return {
    insert(fn) {
      insert.run({
        ...fn,
        input: fn.input === null ? null : JSON.stringify(fn.input),
        output: fn.output === null ? null : JSON.stringify(fn.output),
      });
    },
    get(project, id) {
      const row = get.get(project, id);
      return row && fromRow(row);
    },
    list(project, limit, offset) {
      return { items: list.all(project, limit, offset).map(fromRow), total: count.get(project)!.n };
    },
  };
}
