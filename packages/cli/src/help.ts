/** Help texts, one per command. */

export const MAIN_HELP = `Usage: tessera <command> [options]

Tile-level GPU kernels for TypeScript, compiled to WGSL for WebGPU.

Commands:
  autotune <file>     search for the fastest config of a kernel on this adapter
  compile <file>      print a kernel's WGSL (or tile IR) for a config
  devices             list the WebGPU adapters kernels can run on
  cache <action>      list, clear, export or import tuned configs

Options:
  -V, --version       print the versions of tessera and its compiler
      --verbose       on a failure, also print the stack (any command)
  -h, --help          this help

Exit codes: 0 ok, 1 failure, 2 bad command line, 130 interrupted.
Run 'tessera <command> --help' for the options of a command.
`;

export const AUTOTUNE_HELP = `Usage: tessera autotune <file> [--kernel NAME] --shape M=1024,N=1024 [options]

Loads <file> (a .ts module exporting kernels), makes random inputs of the given shapes,
and searches the kernel's config space on this adapter. Every candidate's output is
checked against the default config's; the winner is remembered in the tuning cache.

Options:
  -k, --kernel NAME      the kernel: its export name or its fn name (needed when the
                         file exports several)
  -s, --shape DIMS       sizes of the kernel's symbolic dims, e.g. M=1024,N=1024,K=512
      --scalar VALUES    values of scalar parameters, e.g. alpha=0.5 (default 1)
  -e, --effort LEVEL     quick (default): seeds + pattern search, ~20% of the space;
                         full: the whole space when it fits, else a broad search;
                         none: just time the default config
      --strategy NAME    one strategy instead: exhaustive, random, pattern, evolution
      --max-configs N    most configs to try
      --max-seconds N    time budget of the search
      --seed N           seed of the inputs and the search (default 1)
      --force            tune again even when the cache has an entry
      --cache FILE       tuning cache file (default: $XDG_CACHE_HOME/tessera/autotune.json,
                         else ~/.cache/tessera/autotune.json)
      --no-cache         neither read nor write the tuning cache
      --bucket KIND      cache key shapes: pow2 (default, rounded up) or exact
      --space KNOBS      search only these knob values, e.g.
                         'microTile=4x4|8x8,blocks.tm=32|64,stageB=false'
      --top N            rows of the results table (default 10)
      --json             print the result as JSON on stdout
  -q, --quiet            no progress on stderr
  -h, --help             this help

Ctrl-C stops the search and prints the best config found so far; it is kept in the
cache marked partial (calls use it; the next autotune searches again). A second
Ctrl-C quits at once.
Throughput: GB/s counts every tensor read and written once; kernels with '@' show
GFLOP/s at 2·M·N·K FLOPs.
`;

export const COMPILE_HELP = `Usage: tessera compile <file> [--kernel NAME] [--config JSON] [--emit wgsl|ir]

Prints the WGSL compute shader (or the tile IR) of a kernel for a config. Knobs left
out of the config take their defaults; an invalid config is reported with the reason.

Options:
  -k, --kernel NAME   the kernel: its export name or its fn name
  -c, --config JSON   e.g. '{"blocks":{"tm":4},"workgroupSize":128}'
      --emit KIND     wgsl (default) or ir
  -h, --help          this help
`;

export const DEVICES_HELP = `Usage: tessera devices [--json]

Lists the WebGPU adapters Tessera can run on, the one it picks first (a hardware GPU
before a software one) at the top, with their features and the limits that bound the
config space. Vulkan drivers installed but unknown to the Vulkan loader (SwiftShader,
from chromium's package or TESSERA_SWIFTSHADER_ICD) are listed with what to set to use
them. A program picks another adapter with init({ adapter: NAME }).

Options:
      --json   print the picked adapter's description as JSON, every adapter under "adapters"
  -h, --help   this help
`;

export const CACHE_HELP = `Usage: tessera cache <list|clear|export FILE|import FILE> [options]

The tuning cache: the configs autotune found, by kernel, shapes (rounded up to powers
of two) and adapter.

Actions:
  list            show the entries
  clear           delete every entry
  export FILE     write the entries to FILE, a tunings file an app can ship
  import FILE     merge a tunings file into the cache

Options:
      --cache FILE   the cache file (default: $XDG_CACHE_HOME/tessera/autotune.json,
                     else ~/.cache/tessera/autotune.json)
      --pin          import: pin the entries (calls always use them; never re-tuned)
      --json         list: print JSON
  -h, --help         this help
`;
