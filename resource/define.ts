import { z } from "zod";

/**
 * How the model describes a resource. Each property is an entry of an object literal: its key is
 * the property's name, its JSDoc the one doc line users read (the SDK's types carry it to their
 * editor), and its value says the rest: the zod schema of the value, whether it is secret, whether
 * a change replaces the resource. Everything else about a property is derived from that entry.
 */

export interface Property<S extends z.ZodType = z.ZodType, P = z.input<S>> {
  /** The value as `check` validates it (inputs) or as the provider writes it to state (outputs). */
  readonly schema: S;
  /** Encrypted in state and masked in output: the SDK lists it in additionalSecretOutputs. */
  readonly secret?: true;
  /** A change replaces the resource instead of updating it. */
  readonly replaceOnChange?: true;
  /** Programs may leave it out: the SDK passes the resource's name. */
  readonly defaultsToResourceName?: true;
  /** Kept by the provider in state; programs never set it and the SDK does not expose it. */
  readonly internal?: true;
  /** Type only: what programs may pass, when wider than the schema's input (see `accepts`). */
  readonly program?: P;
}

export type Properties = Readonly<Record<string, Property>>;

type Flags = Omit<Property, "schema">;

/** One property: its schema and flags. The JSDoc goes on the entry that holds it. */
export function property<S extends z.ZodType>(schema: S): { readonly schema: S };
export function property<S extends z.ZodType, const F extends Flags>(
  schema: S,
  flags: F,
): { readonly schema: S } & F;
export function property(schema: z.ZodType, flags?: Flags): Property {
  return { schema, ...flags };
}

/**
 * Type only: declares that programs may pass `T` for a property whose schema is narrower (e.g. any
 * string for a weekday), so that `check` can name the wrong value instead of the compiler.
 */
export function accepts<T>(): T {
  return undefined as T;
}

export interface ResourceModel<
  I extends Properties = Properties,
  O extends Properties = Properties,
  N extends string = string,
> {
  /** The type's module and name: the engine's type token is `pulumi-nodejs:dynamic/<module>:<name>`. */
  readonly module: string;
  readonly name: N;
  /** The type token of the dynamic provider's resource (TypeScript programs). */
  readonly token: `pulumi-nodejs:dynamic/${string}:${N}`;
  /** The type token of the provider plugin's resource (YAML and other languages, `pulumi import`). */
  readonly pluginToken: `${string}:index:${N}`;
  /** Both tokens: a stack may hold either, and the policy pack and review treat them alike. */
  readonly tokens: readonly [string, string];
  /** What a program passes (and `check` validates), plus the provider's own internal inputs. */
  readonly inputs: I;
  /** What the SDK's resource class exposes (and internal state): echoed inputs in their stored form, and the server's facts. */
  readonly outputs: O;
}

export function defineResource<
  I extends Properties,
  O extends Properties,
  const N extends string,
>(definition: { module: string; name: N; inputs: I; outputs: O }): ResourceModel<I, O, N> {
  const token = `pulumi-nodejs:dynamic/${definition.module}:${definition.name}` as const;
  const pluginToken = `${definition.module}:index:${definition.name}` as const;
  return { ...definition, token, pluginToken, tokens: [token, pluginToken] };
}

/** Names of the properties with a flag set. */
export function namesWhere<D extends Properties>(properties: D, flag: keyof Flags): (keyof D & string)[] {
  return Object.keys(properties).filter((name) => properties[name][flag] !== undefined);
}

type Flagged<D, F extends keyof Flags> = {
  [K in keyof D]: D[K] extends Record<F, true> ? K : never;
}[keyof D];

/** Every property but the internal ones: the inputs programs set, the outputs the SDK exposes. */
export type PublicProperties<D> = Omit<D, Flagged<D, "internal">>;

export type SchemaOf<P> = P extends { readonly schema: infer S extends z.ZodType } ? S : never;

export type ShapeOf<D> = { -readonly [K in keyof D]: SchemaOf<D[K]> };

/** What programs may pass for a property: `accepts<T>()` if given, else its schema's input. */
export type ProgramType<P> = P extends { readonly program: infer T } ? T : z.input<SchemaOf<P>>;

/** True when programs may leave the property out. */
export type IsOptional<P> =
  undefined extends ProgramType<P> ? true : P extends { defaultsToResourceName: true } ? true : false;

/** Values as checked inputs or state hold them: each property's schema output, optional where it may be absent. */
export type ValuesOf<D> = z.output<z.ZodObject<ShapeOf<D>>>;

/** The strict object schema of the properties programs set, in the model's order. */
export function programSchema<D extends Properties>(
  properties: D,
): z.ZodObject<ShapeOf<PublicProperties<D>>, z.core.$strict> {
  const shape = Object.fromEntries(
    Object.entries(properties)
      .filter(([, entry]) => !entry.internal)
      .map(([name, entry]) => [name, entry.schema]),
  );
  return z.strictObject(shape) as unknown as z.ZodObject<ShapeOf<PublicProperties<D>>, z.core.$strict>;
}
