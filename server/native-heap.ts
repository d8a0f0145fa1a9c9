/**
 * Free memory in the C heap given back to the system, after the idle collection
 * (server/idle-gc.ts, docs/decisions/0021). glibc keeps what `free` releases for later
 * mallocs; after a burst of requests that is tens of megabytes of resident memory nobody uses
 * (measured: 257 MB RSS after the burst, 175 MB idle; `malloc_trim(0)` took it to 175 exactly,
 * docs/benchmarks/load.md). Node offers no call for it, so it goes through koffi, a maintained
 * FFI with prebuilt binaries (no compiler on the machine).
 *
 * glibc on Linux only: elsewhere (macOS, musl on Alpine) there is no `malloc_trim` and this does
 * nothing.
 */
type MallocTrim = (pad: number) => number;

let mallocTrim: Promise<MallocTrim | null> | undefined;

async function loadMallocTrim(): Promise<MallocTrim | null> {
  // process.report names the glibc the process runs on; musl and other systems have none.
  if (process.platform !== "linux") return null;
  const report = process.report.getReport() as { header?: { glibcVersionRuntime?: string } };
  if (!report.header?.glibcVersionRuntime) return null;
  try {
    const { default: koffi } = await import("koffi");
    return koffi.load("libc.so.6").func("int malloc_trim(size_t pad)") as MallocTrim;
  } catch {
    return null;
  }
}

/** Returns the heap's free pages to the system; false where that isn't possible. */
export async function trimNativeHeap(): Promise<boolean> {
  mallocTrim ??= loadMallocTrim();
  const trim = await mallocTrim;
  if (!trim) return false;
  trim(0);
  return true;
}
