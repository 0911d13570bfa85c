// web-tree-sitter's types name Emscripten's module options (Parser.init) without shipping them;
// kpath passes only locateFile.
interface EmscriptenModule {
  locateFile?(path: string, prefix: string): string;
}
