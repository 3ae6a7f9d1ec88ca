export function tarballProblems(
  name: string,
  paths: readonly string[],
  manifest: Record<string, unknown>,
): string[];
