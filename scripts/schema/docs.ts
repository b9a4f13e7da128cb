import path from "node:path";
import ts from "typescript";

/** A model's doc comment, and each property's doc line by property name. */
export interface ModelDocs {
  description: string;
  inputs: Record<string, string>;
  outputs: Record<string, string>;
}

let program: ts.Program | undefined;

/**
 * The doc comment of an exported model (`API_KEY`) and of each of its properties, read with the TypeScript
 * compiler from the JSDoc of its entry: what users see in their editor through the SDK's types, and
 * what the package schema gives other languages as each property's description.
 */
export function modelDocs(exportName: string): ModelDocs {
  const entry = path.resolve(__dirname, "../../resource/index.ts");
  program ??= ts.createProgram([entry], { strict: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  const model = checker.getExportsOfModule(module).find((symbol) => symbol.name === exportName);
  if (!model) throw new Error(`resource/index.ts exports no ${exportName}`);
  const type = checker.getTypeOfSymbol(model);
  const docsOf = (member: "inputs" | "outputs") =>
    Object.fromEntries(
      checker
        .getTypeOfSymbol(type.getProperty(member)!)
        .getProperties()
        .map((symbol) => [symbol.name, ts.displayPartsToString(symbol.getDocumentationComment(checker))]),
    );
  return {
    description: ts.displayPartsToString(model.getDocumentationComment(checker)),
    inputs: docsOf("inputs"),
    outputs: docsOf("outputs"),
  };
}
