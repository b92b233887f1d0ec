import type { Severity } from './diagnostic.ts';

/**
 * One catalogue entry. `message` and `hint` may hold `{0}`, `{1}`, … placeholders filled
 * from the arguments given when the diagnostic is raised.
 */
export interface CatalogueEntry {
  readonly severity: Severity;
  readonly message: string;
  readonly hint?: string;
}

export function fillTemplate(template: string, args: readonly (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, i: string) => {
    const v = args[Number(i)];
    return v === undefined ? whole : String(v);
  });
}
