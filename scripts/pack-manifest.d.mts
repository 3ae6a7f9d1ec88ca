export const SOURCE_CONDITION: '@onair/source';
export function publishedManifest(manifest: Record<string, unknown>): Record<string, unknown>;
