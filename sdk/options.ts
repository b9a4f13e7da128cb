import type * as pulumi from "@pulumi/pulumi";

/** The user's options plus `additionalSecretOutputs` for our secret outputs (merged, not replaced). */
export function withSecretOutputs(
  opts: pulumi.CustomResourceOptions | undefined,
  names: string[],
): pulumi.CustomResourceOptions {
  const existing = opts?.additionalSecretOutputs ?? [];
  return { ...opts, additionalSecretOutputs: [...new Set([...existing, ...names])] };
}
