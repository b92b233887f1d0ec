/**
 * Indented source text, written line by line: shared by the WGSL emitter and the
 * interpreter's JavaScript emitter, which both generate brace-structured code.
 */
export class CodeWriter {
  private lines: string[] = [];
  private depth = 1;
  private counter = 0;

  line(text: string): void {
    this.lines.push('  '.repeat(this.depth) + text);
  }
  open(text: string): void {
    this.line(text);
    this.depth++;
  }
  /** Closes a block and opens the next at the same level (`} else {`). */
  reopen(text: string): void {
    this.depth--;
    this.line(text);
    this.depth++;
  }
  close(text = '}'): void {
    this.depth--;
    this.line(text);
  }
  /** Whether the last line written is `text` at the current depth (nothing written since). */
  protected lastLineIs(text: string): boolean {
    return this.lines[this.lines.length - 1] === '  '.repeat(this.depth) + text;
  }
  /** A name no other call returns in this writer: `prefix` + a counter. */
  fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }
  text(): string {
    return this.lines.join('\n');
  }
  /** Appends text captured at depth 1 (see capture), indented to the current depth. */
  insert(captured: string): void {
    if (captured === '') return;
    for (const l of captured.split('\n')) this.lines.push('  '.repeat(this.depth - 1) + l);
  }
  /**
   * Swaps in an empty line buffer (to write a function body elsewhere); the callback
   * restores the previous buffer and returns what was written meanwhile.
   */
  capture(): () => string {
    const saved = this.lines;
    const savedDepth = this.depth;
    this.lines = [];
    this.depth = 1;
    return () => {
      const captured = this.lines.join('\n');
      this.lines = saved;
      this.depth = savedDepth;
      return captured;
    };
  }
}
