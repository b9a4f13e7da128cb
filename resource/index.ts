export * from "./apiKey";
export * from "./apiKeyRestrictions";
export * from "./define";
export * from "./engine";
export * from "./restrictions";
export * from "./rotation";
