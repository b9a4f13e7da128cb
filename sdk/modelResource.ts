import * as pulumi from "@pulumi/pulumi";
import type { ResourceModel } from "../resource";
import { optionsFor, propsFor } from "./model";

/**
 * The base of the SDK's resource classes: registers a resource of the model with its provider.
 *
 * Registration runs with stack capture off. For every declared property (an ApiKey has 19) the
 * Pulumi SDK makes four promises and captures a stack trace for each, kept only for its
 * promise-leak diagnostics; in a TypeScript program every capture is source-mapped by ts-node,
 * and that cost more than everything our provider does in a `pulumi up` (npm run bench). The
 * resource's own source position is unaffected: the SDK captures it with the limit raised. An
 * error thrown while registering gets its stack back, from the program's `new` call.
 */
export abstract class ModelResource extends pulumi.dynamic.Resource {
  constructor(
    model: ResourceModel,
    provider: pulumi.dynamic.ResourceProvider,
    name: string,
    args: object,
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(provider, name, propsFor(model, name, args), optionsFor(model, opts), model.module, model.name);
    } catch (error) {
      Error.stackTraceLimit = stackTraceLimit;
      if (error instanceof Error) Error.captureStackTrace(error, new.target);
      throw error;
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }
}
