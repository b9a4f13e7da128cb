import { configure } from "../provider/config";

/** The provider's configuration as schema inputs: `pulumi config set admindo:apiKey …`. */
export interface ConfigInputs {
  apiKey?: string;
  baseUrl?: string;
}

/**
 * Configures the provider modules from a Configure request: the typed `args` (the provider's
 * inputs), falling back to the legacy `variables` map keyed `admindo:config:<name>`. The provider's
 * own fallbacks (ADMINDO_API_KEY, ADMINDO_BASE_URL) apply when neither has a value, exactly as
 * for the dynamic provider.
 */
export async function configureFrom(variables: [string, string][], args: ConfigInputs): Promise<void> {
  const legacy = new Map(variables);
  const value = (name: keyof ConfigInputs): string | undefined => {
    const typed = args[name];
    return typeof typed === "string" && typed !== ""
      ? typed
      : legacy.get(`admindo:config:${name}`) || undefined;
  };
  await configure({
    config: {
      get: (key: string) =>
        key === "admindo:apiKey" ? value("apiKey") : key === "admindo:baseUrl" ? value("baseUrl") : undefined,
    },
  } as Parameters<typeof configure>[0]);
}
