// ESLint flat config: typescript-eslint's recommended rules for all TypeScript in the repository.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", ".e2e/", ".demo/", "scripts/pulumi-cli/", "**/*.js", "**/*.mjs"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-require-imports": "off",
      // `interface ApiKeyArgs extends ArgsOf<…> {}` names a type derived from the resource model (sdk/).
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
    },
  },
);
