/** Diagnostics: the shape, the parse-side catalogue, raising from any catalogue, formatting. */
export type { Diagnostic, Severity, SourceOrigin } from './diagnostic.ts';
export { fillTemplate, type CatalogueEntry } from './catalogue-entry.ts';
export { PARSE_CODES, type ParseCode } from './parse-codes.ts';
export { createRaiser, raise, type Catalogue, type DiagnosticArg } from './raise.ts';
export { formatDiagnostic, formatDiagnostics, type FormatOptions } from './format.ts';
export { formatFileLocation, locateInFile, type FileLocation } from './locate.ts';
