import type { CodegenConfig } from "@graphql-codegen/cli";

// Types for every operation of the page, checked against deskql's schema: an operation that no longer
// fits the schema fails the build here, and a changed type fails `tsc`.
const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/**/*.ts", "!src/generated/**"],
  ignoreNoDocuments: false,
  generates: {
    "src/generated/": {
      preset: "client",
      config: {
        documentMode: "string",
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: "string", Date: "string", Decimal: "string", JSON: "unknown", Upload: "File" },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
