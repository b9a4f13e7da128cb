import * as grpc from "@grpc/grpc-js";
import type * as pulumi from "@pulumi/pulumi";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { configureFrom, type ConfigInputs } from "./configuration";
import { implementationFor, resourceNameOf } from "./resources";
import { unwrapSecrets } from "./secrets";
import { initFailedError } from "./errors";

/*
 * The admindo provider plugin's gRPC service: Pulumi's ResourceProvider protocol in front of the
 * same provider modules the dynamic provider serves (provider/dynamic/*). The SDK's own server
 * (`@pulumi/pulumi/provider` `main`) answers UNIMPLEMENTED to CheckConfig and DiffConfig and drops
 * the variables of Configure, so stack config such as `admindo:apiKey` would never reach the
 * provider: hence this thin server on the SDK's generated protocol messages.
 *
 * Secrets: Configure answers acceptSecrets=false, so the engine sends plain values and marks
 * outputs secret itself (from the schema: `key` is secret; and any output whose input was secret).
 */

// The SDK ships the generated protocol code without types for the gRPC service definitions.
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const provproto = require("@pulumi/pulumi/proto/provider_pb");
const plugproto = require("@pulumi/pulumi/proto/plugin_pb");

type Call<T = any> = grpc.ServerUnaryCall<T, unknown>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Callback = grpc.sendUnaryData<unknown>;

const plain = (struct: structproto.Struct | undefined): Record<string, unknown> =>
  unwrapSecrets(struct?.toJavaScript() ?? {}) as Record<string, unknown>;
/**
 * A Struct of the provider's plain values. Properties whose value is undefined are left out, as the
 * dynamic provider's serializer leaves them out (fromJavaScript rejects them: "Unexpected struct
 * type"), e.g. the `key` of an imported key, which has no secret, when it is updated.
 */
const struct = (value: unknown) =>
  structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(value ?? {})) as Record<string, never>);

/** Runs a handler, turning a thrown error into the gRPC error the engine shows. */
function handle<T>(callback: Callback, run: () => Promise<T>): void {
  run().then(
    (response) => callback(null, response),
    (error: unknown) => callback(toGrpcError(error), null),
  );
}

function toGrpcError(error: unknown): Partial<grpc.StatusObject> {
  const e = error as { id?: string; message?: string };
  // An error carrying an id (a create whose outcome is unknown) keeps a placeholder in state.
  if (e?.id) return initFailedError(e as Parameters<typeof initFailedError>[0]);
  return { code: grpc.status.UNKNOWN, details: e?.message ?? String(error) };
}

export interface PluginOptions {
  version: string;
  schema: () => string;
}

/** The service implementation for `server.addService(ResourceProviderService, ...)`. */
export function providerService(options: PluginOptions): grpc.UntypedServiceImplementation {
  const unimplemented = (name: string) => (_call: Call, callback: Callback) =>
    callback({ code: grpc.status.UNIMPLEMENTED, details: `${name} is not implemented by admindo` }, null);

  return {
    getPluginInfo: (_call: Call, callback: Callback) =>
      callback(null, new plugproto.PluginInfo().setVersion(options.version)),
    getSchema: (call: Call, callback: Callback) =>
      handle(callback, async () => {
        if (call.request.getVersion() !== 0)
          throw new Error(`unsupported schema version ${call.request.getVersion()}`);
        return new provproto.GetSchemaResponse().setSchema(options.schema());
      }),

    checkConfig: (call: Call, callback: Callback) =>
      handle(callback, async () => {
        const news = plain(call.request.getNews());
        const failures = configFailures(news);
        const response = new provproto.CheckResponse().setInputs(struct(news));
        response.setFailuresList(failures.map(toCheckFailure));
        return response;
      }),
    diffConfig: (call: Call, callback: Callback) =>
      handle(callback, async () => {
        const olds = plain(call.request.getOlds());
        const news = plain(call.request.getNews());
        // A new endpoint or credential changes no key: the provider is updated, never replaced.
        const changed = ["apiKey", "baseUrl"].filter((name) => olds[name] !== news[name]);
        return new provproto.DiffResponse()
          .setChanges(
            changed.length
              ? provproto.DiffResponse.DiffChanges.DIFF_SOME
              : provproto.DiffResponse.DiffChanges.DIFF_NONE,
          )
          .setDiffsList(changed);
      }),
    configure: (call: Call, callback: Callback) =>
      handle(callback, async () => {
        await configureFrom(
          call.request.getVariablesMap().toObject(),
          plain(call.request.getArgs()) as ConfigInputs,
        );
        return new provproto.ConfigureResponse()
          .setAcceptsecrets(false)
          .setAcceptresources(false)
          .setSupportspreview(false);
      }),

    check: (call: Call, callback: Callback) =>
      handle(callback, async () => {
        const urn: string = call.request.getUrn();
        const { provider, withDefaults } = implementationFor(urn);
        const news = withDefaults(resourceNameOf(urn), plain(call.request.getNews()));
        const result = await provider.check(plain(call.request.getOlds()), news);
        const response = new provproto.CheckResponse().setInputs(struct(result.inputs));
        response.setFailuresList((result.failures ?? []).map(toCheckFailure));
        return response;
      }),
    diff: (call: Call, callback: Callback) =>
      handle(callback, async () => {
        const { provider } = implementationFor(call.request.getUrn());
        const result = (await provider.diff(
          call.request.getId(),
          plain(call.request.getOlds()),
          plain(call.request.getNews()),
        )) as pulumi.dynamic.DiffResult & { diffs?: string[] };
        const response = new provproto.DiffResponse();
        const kinds = provproto.DiffResponse.DiffChanges;
        response.setChanges(
          result.changes === true
            ? kinds.DIFF_SOME
            : result.changes === false
              ? kinds.DIFF_NONE
              : kinds.DIFF_UNKNOWN,
        );
        response.setReplacesList(result.replaces ?? []);
        response.setDeletebeforereplace(result.deleteBeforeReplace ?? false);
        if (result.diffs) response.setDiffsList(result.diffs);
        return response;
      }),
    create: (call: Call, callback: Callback) =>
      handle(callback, async () => {
        const { provider } = implementationFor(call.request.getUrn());
        const result = await provider.create(plain(call.request.getProperties()));
        return new provproto.CreateResponse().setId(result.id).setProperties(struct(result.outs));
      }),
    read: (call: Call, callback: Callback) =>
      handle(callback, async () => {
        const implementation = implementationFor(call.request.getUrn());
        const props = plain(call.request.getProperties());
        const result = await implementation.provider.read!(call.request.getId(), props);
        // Gone: no id and no properties. The engine then drops it from state at refresh, and fails
        // an import with "resource '<id>' does not exist" (with empty properties it would claim
        // that the provider cannot import at all).
        if (!result.id) return new provproto.ReadResponse();
        const response = new provproto.ReadResponse()
          .setId(result.id ?? "")
          .setProperties(struct(result.props));
        // An import (no state yet): the inputs that reproduce the key, read back from the API.
        if (result.id && Object.keys(props).length === 0)
          response.setInputs(struct(implementation.importInputs(result.props ?? {})));
        else if (call.request.getInputs()) response.setInputs(call.request.getInputs());
        return response;
      }),
    update: (call: Call, callback: Callback) =>
      handle(callback, async () => {
        const { provider } = implementationFor(call.request.getUrn());
        const result = await provider.update!(
          call.request.getId(),
          plain(call.request.getOlds()),
          plain(call.request.getNews()),
        );
        return new provproto.UpdateResponse().setProperties(struct(result.outs));
      }),
    delete: (call: Call, callback: Callback) =>
      handle(callback, async () => {
        const { provider } = implementationFor(call.request.getUrn());
        await provider.delete!(call.request.getId(), plain(call.request.getProperties()));
        return new emptyproto.Empty();
      }),
    cancel: (_call: Call, callback: Callback) => callback(null, new emptyproto.Empty()),

    invoke: unimplemented("Invoke"),
    call: unimplemented("Call"),
    construct: unimplemented("Construct"),
  };
}

/** Provider configuration is validated at preview like resource inputs: field and rule. */
function configFailures(news: Record<string, unknown>): pulumi.dynamic.CheckFailure[] {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  const baseUrl = news.baseUrl;
  if (baseUrl !== undefined && (typeof baseUrl !== "string" || !/^https?:\/\/[^\s]+$/.test(baseUrl))) {
    failures.push({ property: "baseUrl", reason: `${JSON.stringify(baseUrl)} is not an http(s) URL` });
  }
  if (news.apiKey !== undefined && typeof news.apiKey !== "string") {
    failures.push({
      property: "apiKey",
      reason: "must be a string (set it with `pulumi config set --secret admindo:apiKey`)",
    });
  }
  return failures;
}

function toCheckFailure(failure: pulumi.dynamic.CheckFailure) {
  return new provproto.CheckFailure().setProperty(failure.property).setReason(failure.reason);
}

export { provrpc };
