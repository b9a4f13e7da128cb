import * as pulumi from "@pulumi/pulumi";

interface ConsumerInputs {
  baseUrl: string;
  apiKey: string;
}

/**
 * A stand-in for a service that is configured with a key: on create and update it proves the
 * key works by listing functions with it, and records which key (by prefix) it holds.
 */
const consumerProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: ConsumerInputs) {
    return { id: "consumer", outs: await verify(inputs) };
  },
  async update(_id: string, _olds: ConsumerInputs, news: ConsumerInputs) {
    return { outs: await verify(news) };
  },
};

async function verify(inputs: ConsumerInputs) {
  const response = await fetch(`${inputs.baseUrl}/functions`, {
    headers: { authorization: `Bearer ${inputs.apiKey}` },
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`the key was refused with HTTP ${response.status}`);
  return { ...inputs, keyPrefix: inputs.apiKey.slice(0, 10), verifiedAt: new Date().toISOString() };
}

export class KeyConsumer extends pulumi.dynamic.Resource {
  declare readonly keyPrefix: pulumi.Output<string>;
  declare readonly verifiedAt: pulumi.Output<string>;

  constructor(
    name: string,
    args: { baseUrl: pulumi.Input<string>; apiKey: pulumi.Input<string> },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(
      consumerProvider,
      name,
      { ...args, keyPrefix: undefined, verifiedAt: undefined },
      opts,
      "example",
      "KeyConsumer",
    );
  }
}
