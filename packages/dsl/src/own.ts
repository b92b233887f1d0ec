/**
 * Name-keyed records that user-chosen names can index safely. A kernel may call a dim,
 * a loop or a parameter `constructor`, `toString` or `__proto__`; on a plain object those
 * read (or, for `__proto__`, replace) Object.prototype's members. Records built here have
 * no prototype, and `ownValue` reads only own properties of records built elsewhere.
 */

/** An empty record without a prototype. */
export function nullRecord<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

/** `record[key]` if `record` has it as its own property, otherwise undefined. */
export function ownValue<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
