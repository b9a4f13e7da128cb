import * as grpc from "@grpc/grpc-js";
import * as anyproto from "google-protobuf/google/protobuf/any_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";

const provproto = require("@pulumi/pulumi/proto/provider_pb");
const statusproto = require("@pulumi/pulumi/proto/status_pb");

/**
 * A create whose outcome is unknown (provider/pendingCreate.ts) throws an error carrying an id,
 * properties and reasons. As ErrorResourceInitFailed the engine keeps that placeholder in state,
 * so the next `pulumi up` can find and remove the key, instead of forgetting it.
 */
export function initFailedError(error: {
  id: string;
  message: string;
  properties?: Record<string, unknown>;
  reasons?: string[];
}): Partial<grpc.StatusObject> {
  const detail = new provproto.ErrorResourceInitFailed();
  detail.setId(error.id);
  detail.setProperties(structproto.Struct.fromJavaScript((error.properties ?? {}) as Record<string, never>));
  detail.setReasonsList(error.reasons ?? []);
  const details = new anyproto.Any();
  details.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
  const status = new statusproto.Status();
  status.setCode(grpc.status.UNKNOWN);
  status.setMessage(error.message);
  status.addDetails(details);
  const metadata = new grpc.Metadata();
  metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  return { code: grpc.status.UNKNOWN, details: error.message, metadata };
}
