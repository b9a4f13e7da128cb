import * as apiKeyProvider from "../provider/dynamic/apiKey";
import * as apiKeyRestrictionsProvider from "../provider/dynamic/apiKeyRestrictions";

/*
 * The provider objects the resource classes pass to the engine: modules whose exports are the
 * provider (see provider/dynamic/apiKey.ts for why). `import * as` keeps the very exports object,
 * which is what the closure serializer recognizes as a module.
 */
export { apiKeyProvider, apiKeyRestrictionsProvider };
