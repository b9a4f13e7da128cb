import * as grpc from "@grpc/grpc-js";
import { readFileSync } from "node:fs";
import path from "node:path";
import { providerService, provrpc } from "./server";

/**
 * pulumi-resource-admindo: the engine starts it with its own address as the first argument and
 * reads the port of the provider's gRPC server from the first line of stdout.
 */
async function main(): Promise<void> {
  const { version } = JSON.parse(readFileSync(path.join(__dirname, "../../package.json"), "utf8")) as {
    version: string;
  };
  const server = new grpc.Server();
  server.addService(
    provrpc.ResourceProviderService,
    providerService({
      version,
      schema: () => readFileSync(path.join(__dirname, "../../schema.json"), "utf8"),
    }),
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  process.stdout.write(`${port}\n`);
}

main().catch((error: Error) => {
  console.error(`pulumi-resource-admindo: ${error.message}`);
  process.exit(1);
});
