/** What the defaults may depend on of the adapter a kernel runs on (adapter-defaults.ts), and of the call where known. */
export interface AdapterKind {
  /** A software (CPU) adapter: see adapter-defaults.ts. */
  readonly software: boolean;
  /**
   * The adapter's subgroup sizes, when it has the 'subgroups' feature and reports them
   * (GPUAdapterInfo.subgroupMinSize/MaxSize): a default that uses subgroups fits them.
   */
  readonly subgroups?: { readonly minSize: number; readonly maxSize: number };
  /**
   * The call's dim sizes by name, when known (the runtime's tuner knows them): tiles are
   * then kept from outgrowing the shape (dot-defaults.ts).
   */
  readonly dims?: Readonly<Record<string, number>>;
}
