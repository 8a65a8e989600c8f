// Linked with --post-js into every WebAssembly target of this tree (web/CMakeLists.txt).
//
// Emscripten 3.1.6's in-memory file system grows a file past 1 MiB by 1/8 of its size, copying
// the whole file each time: writing an N-byte file costs O(N^2 / 8 MiB) bytes of copies. SQLite
// files and rollback journals of tens of MB made that a fifth of the run time (node --cpu-prof
// on merge_bench: expandFileStorage 22 %). Doubling, as below 1 MiB, makes growth amortised
// O(N); a file's spare capacity is at most its size. Used by the IndexedDB mode of the app
// (web/README.md, Persistence) and by everything run under node.
if (typeof MEMFS !== 'undefined') {
  MEMFS.expandFileStorage = function (node, newCapacity) {
    const prevCapacity = node.contents ? node.contents.length : 0;
    if (prevCapacity >= newCapacity) return;
    newCapacity = Math.max(newCapacity, prevCapacity * 2, 256);
    const oldContents = node.contents;
    node.contents = new Uint8Array(newCapacity);
    if (node.usedBytes > 0) node.contents.set(oldContents.subarray(0, node.usedBytes), 0);
  };
}
