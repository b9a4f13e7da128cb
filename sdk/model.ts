import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type {
  IsOptional,
  ProgramType,
  Properties,
  PublicProperties,
  ResourceModel,
  SchemaOf,
} from "../resource";

/*
 * What the resource classes take from the model (resource/): their argument and output types, the
 * props they register and the secret outputs they ask the engine to encrypt. Each property's doc
 * comment travels with its type, so programs see the model's doc lines in their editor.
 */

/** A value as a resource argument: the value itself, and each part of it, may be an Output or a promise. */
type DeepInput<T> = [T] extends [readonly (infer E)[]]
  ? pulumi.Input<DeepInput<E>[]>
  : [T] extends [object]
    ? pulumi.Input<{ [K in keyof T]: DeepInput<Exclude<T[K], undefined>> }>
    : pulumi.Input<T>;

type Optional<D> = { [K in keyof D]: IsOptional<D[K]> extends true ? K : never }[keyof D];

/** Resource arguments: a readonly Input per property programs set, optional where they may leave it out. */
export type ArgsOf<D> = {
  readonly [K in keyof PublicProperties<D> as K extends Optional<D> ? K : never]?: DeepInput<
    Exclude<ProgramType<PublicProperties<D>[K]>, undefined>
  >;
} & {
  readonly [K in keyof PublicProperties<D> as K extends Optional<D> ? never : K]: DeepInput<
    ProgramType<PublicProperties<D>[K]>
  >;
};

/** The Output properties of a resource class: one per public output, typed by its schema. */
export type OutputsOf<D> = {
  readonly [K in keyof PublicProperties<D>]: pulumi.Output<z.output<SchemaOf<PublicProperties<D>[K]>>>;
};

const unset = (names: string[]) => Object.fromEntries(names.map((name) => [name, undefined]));

/**
 * The props a resource registers: its args, the resource name for a property that defaults to it,
 * and every public output named (undefined until known), since the SDK makes an Output property
 * only of the names it is given (which matters for `ApiKey.get`). Outputs that are not inputs
 * come last, so that args cannot set them.
 */
export function propsFor(model: ResourceModel, resourceName: string, args: object): Record<string, unknown> {
  const outputs = Object.keys(model.outputs).filter((name) => !model.outputs[name].internal);
  const given = args as Record<string, unknown>;
  const props: Record<string, unknown> = {
    ...unset(outputs.filter((name) => name in model.inputs)),
    ...given,
  };
  for (const [name, property] of Object.entries(model.inputs as Properties)) {
    if (property.defaultsToResourceName) props[name] = given?.[name] ?? resourceName;
  }
  return { ...props, ...unset(outputs.filter((name) => !(name in model.inputs))) };
}

/** The user's options plus the model's secret outputs in `additionalSecretOutputs` (merged, not replaced). */
export function optionsFor(
  model: ResourceModel,
  opts: pulumi.CustomResourceOptions | undefined,
): pulumi.CustomResourceOptions | undefined {
  const secrets = Object.keys(model.outputs).filter((name) => model.outputs[name].secret);
  if (secrets.length === 0) return opts;
  const existing = opts?.additionalSecretOutputs ?? [];
  return { ...opts, additionalSecretOutputs: [...new Set([...existing, ...secrets])] };
}
