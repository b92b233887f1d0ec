/** Turning anything thrown into text for the page: Tessera errors keep their code and hint. */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code: unknown = Reflect.get(error, 'code');
  const hint: unknown = Reflect.get(error, 'hint');
  const head = typeof code === 'string' && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  return typeof hint === 'string' && hint !== '' && !head.includes(hint) ? `${head}\nhint: ${hint}` : head;
}
