// A module resolution hook (node:module register) for running the CLI from the Tessera
// repository: adds the `tessera-source` condition, so the workspace packages resolve to
// their TypeScript sources instead of a dist/ that may not be built.
export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes('tessera-source') ? context.conditions : [...context.conditions, 'tessera-source'];
  return nextResolve(specifier, { ...context, conditions });
}
