/**
 * The root of every error Tessera throws at its users. Lives in the lowest package so
 * that every layer (dsl → compiler → runtime) can extend it: a user catches
 * `TesseraError` once and gets a `code`, a message that says what was wrong and where,
 * and a hint on how to fix it.
 */
export class TesseraError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.hint = hint;
  }
}

/**
 * A bug in Tessera itself, not in the user's kernel. The message says so and carries the
 * original error's message; the original stack stays in `cause`, never in the message.
 */
export class InternalCompilerError extends TesseraError {
  constructor(what: string, cause?: unknown) {
    const detail = cause instanceof Error ? cause.message : cause === undefined ? '' : String(cause);
    super(
      'TSR9000',
      `internal compiler error while ${what}${detail ? `: ${detail}` : ''}`,
      'This is a bug in Tessera, not in your kernel. Please report it with the kernel source.',
    );
    if (cause !== undefined) this.cause = cause;
  }
}
